package dev.ems.tw.rollout.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The watch a rollout keeps on a device it changed: from the moment tw-service counted the device
 * APPLIED until {@code until} (applied time plus the rollout's window), a drop of its health to
 * CRITICAL (any reason, offline included) rolls the device back. All times are tw-service's clock,
 * except the health drop, which diagnostic-service stamps (see {@link #dropTime}).
 *
 * @param changedAt when the rollout's wave changed the device's feature set
 * @param until end of the window; null when the device is not watched (no window, or its set did
 *     not change)
 */
public record HealthWatch(Instant changedAt, Instant until) {

  /** The health level that rolls a device back; diagnostic-service reports offline as CRITICAL. */
  public static final String CRITICAL = "CRITICAL";

  /** Largest window a rollout may ask for (one day). */
  public static final long MAX_WINDOW_SECONDS = 86_400;

  /** The end of the window of a device APPLIED at {@code appliedAt}; null for no window. */
  public static Instant until(Instant appliedAt, Duration window) {
    return window.isZero() || window.isNegative() ? null : appliedAt.plus(window);
  }

  /** Whether the device's window is still open, so its wave cannot be done yet. */
  public static boolean watching(Instant until, Instant now) {
    return until != null && now.isBefore(until);
  }

  /**
   * When the health dropped: the time diagnostic-service stamped, so a drop consumed late (a
   * lagging consumer) still counts inside the window it happened in; tw-service's {@code now} when
   * the event has none or one in the future (a skewed clock cannot extend a window).
   */
  public static Instant dropTime(Instant stamped, Instant now) {
    return stamped == null || stamped.isAfter(now) ? now : stamped;
  }

  /**
   * Whether a health change at {@code droppedAt} rolls the device back: CRITICAL, inside the window
   * and not before the rollout changed the device (a drop from before is not the change's doing). A
   * drop between the change and the APPLIED count does roll back (consumed before the count or
   * after): diagnostic-service emits transitions only, so a device that broke while its report was
   * on its way gets no second event.
   */
  public boolean rollsBack(String health, Instant droppedAt) {
    return CRITICAL.equals(health)
        && until != null
        && !droppedAt.isAfter(until)
        && (changedAt == null || !droppedAt.isBefore(changedAt));
  }
}
