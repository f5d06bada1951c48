package dev.ems.tw.rollout;

import dev.ems.common.event.HealthChanged;
import dev.ems.platform.web.EmsException;
import dev.ems.tw.devicefeature.DeviceFeatureService;
import dev.ems.tw.devicefeature.DeviceFeatureService.Outcome;
import dev.ems.tw.rollout.WatchedDevices.Watched;
import dev.ems.tw.rollout.model.HealthWatch;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rolls a device back when its health drops to CRITICAL inside the watch window of a rollout that
 * changed it (see {@link HealthWatch}): the rollout's feature gets the setting the device had
 * before (through {@link DeviceFeatureService}, so SC renders the previous configuration again),
 * the device waits for that version as ROLLING_BACK, and the rollout pauses naming its rolled-back
 * devices. Only the tenant of the event's envelope is looked at. Idempotent: a redelivered change
 * finds the device no longer APPLIED.
 */
@Service
class HealthRollbacks {

  private static final Logger log = LoggerFactory.getLogger(HealthRollbacks.class);
  private static final int NAMED_IN_REASON = 20;

  private final WatchedDevices watched;
  private final RolloutStore rollouts;
  private final DeviceFeatureService features;
  private final Clock clock;

  HealthRollbacks(
      WatchedDevices watched, RolloutStore rollouts, DeviceFeatureService features, Clock clock) {
    this.watched = watched;
    this.rollouts = rollouts;
    this.features = features;
    this.clock = clock;
  }

  @Transactional
  void changed(String tenant, HealthChanged event) {
    UUID device = event.deviceId();
    if (!HealthWatch.CRITICAL.equals(event.health())) {
      watched.recoveredWhileWaiting(tenant, device);
      return;
    }
    Instant now = clock.instant();
    Instant dropped = HealthWatch.dropTime(event.changedAt(), now);
    for (Watched w : watched.locked(tenant, device)) {
      if (w.watch().rollsBack(event.health(), dropped)) {
        rollBack(tenant, device, w, dropped, event.reasons(), now);
      }
    }
    watched.dropWhileWaiting(tenant, device, dropped, event.reasons());
  }

  /**
   * A device has just counted APPLIED: a CRITICAL health consumed while it was still waiting (and
   * not cleared since) rolls it back now. Runs in the caller's transaction, which holds the
   * device's row.
   */
  void applied(String tenant, UUID rolloutId, UUID device) {
    watched
        .pendingDrop(rolloutId, device)
        .filter(p -> p.watched().watch().rollsBack(HealthWatch.CRITICAL, p.droppedAt()))
        .ifPresent(
            p ->
                rollBack(tenant, device, p.watched(), p.droppedAt(), p.reasons(), clock.instant()));
  }

  private void rollBack(
      String tenant, UUID device, Watched w, Instant dropped, List<String> reasons, Instant now) {
    Rollout r = rollouts.lock(w.rolloutId()).orElse(null);
    if (r == null || !(Rollout.RUNNING.equals(r.status()) || Rollout.PAUSED.equals(r.status()))) {
      return;
    }
    try {
      Outcome outcome = features.restore(tenant, device, r.featureKey(), w.previous());
      watched.rollingBack(
          r.id(), device, dropped, reasons, now, outcome.changed() ? outcome.revision() : null);
    } catch (EmsException e) {
      watched.rollbackRefused(
          r.id(), device, dropped, reasons, now, e.code().code() + ": " + e.getMessage());
    }
    String reason = reason(watched.rolledBack(r.id()));
    rollouts.update(r.id(), Rollout.PAUSED, reason, r.currentWave(), r.failuresAcknowledged());
    log.info("rollout {} rolled back device {} (health {}): paused", r.id(), device, reasons);
  }

  private static String reason(List<UUID> devices) {
    String named =
        devices.stream()
            .limit(NAMED_IN_REASON)
            .map(UUID::toString)
            .collect(Collectors.joining(", "));
    int more = devices.size() - NAMED_IN_REASON;
    return "health regression, rolled back: " + named + (more > 0 ? " and " + more + " more" : "");
  }
}
