package dev.ems.sc.inventory;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * When a site's devices may take a change: on each of {@code days} from the local time {@code
 * start} in {@code zone} for {@code duration}. Free of Spring so that the calendar rules stay
 * testable on their own.
 *
 * <p>A window is a span of absolute time: it opens at the first instant the site's wall clock reads
 * {@code start} on such a day (a start inside a spring-forward gap opens as far after the gap as it
 * lay inside it, 02:30 → 03:30, java.time's rule; a start in a fall-back overlap opens at its first
 * occurrence) and lasts {@code duration} of real time, so a night window across a DST change is as
 * long as on any other night.
 */
public record MaintenanceWindow(
    Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone) {

  public static final Duration LONGEST = Duration.ofDays(1);

  public MaintenanceWindow {
    days = Set.copyOf(days);
    if (days.isEmpty() || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("a window that never opens");
    }
    if (duration.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("a window lasts at most a day");
    }
  }

  /**
   * {@code now} when the window is open at {@code now}, else the instant it next opens. A window
   * opens on at least one day of every week, so there always is one.
   */
  public Instant nextOpening(Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant next = null;
    // a window that opened yesterday may still be open; a week later every day has come round
    for (int d = -1; d <= 7; d++) {
      Optional<Instant> opening = openingOn(today.plusDays(d));
      if (opening.isEmpty()) {
        continue;
      }
      Instant opens = opening.get();
      if (!opens.isAfter(now) && now.isBefore(opens.plus(duration))) {
        return now;
      }
      if (opens.isAfter(now) && (next == null || opens.isBefore(next))) {
        next = opens;
      }
    }
    return next;
  }

  /** Whether the window is open at {@code now}. */
  public boolean isOpen(Instant now) {
    return nextOpening(now).equals(now);
  }

  private Optional<Instant> openingOn(LocalDate date) {
    if (!days.contains(date.getDayOfWeek())) {
      return Optional.empty();
    }
    // ZonedDateTime.of moves a time in a gap forward by the gap's length and takes the earlier
    // offset in an overlap
    return Optional.of(ZonedDateTime.of(date, start, zone).toInstant());
  }
}
