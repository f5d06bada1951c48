package dev.ems.tw.rollout;

import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.platform.web.EmsException;
import dev.ems.tw.devicefeature.DeviceFeatureService;
import dev.ems.tw.devicefeature.DeviceFeatureService.Outcome;
import dev.ems.tw.rollout.RolloutStore.DeviceStatus;
import dev.ems.tw.rollout.model.RolloutDecision;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves rollouts forward: starts a wave by changing its devices' feature sets (recording each
 * device's setting from before, which a rollback puts back), and after every report, timeout,
 * passed watch window or resume decides (under the rollout's row lock) whether to wait, pause,
 * start the next wave or complete.
 */
@Component
class RolloutEngine {

  private static final Logger log = LoggerFactory.getLogger(RolloutEngine.class);

  private final RolloutStore store;
  private final AwaitedVersions awaited;
  private final WatchedDevices watched;
  private final DeviceFeatureService features;
  private final Clock clock;

  RolloutEngine(
      RolloutStore store,
      AwaitedVersions awaited,
      WatchedDevices watched,
      DeviceFeatureService features,
      Clock clock) {
    this.store = store;
    this.awaited = awaited;
    this.watched = watched;
    this.features = features;
    this.clock = clock;
  }

  @Transactional
  void advance(UUID rolloutId) {
    Rollout r = store.lock(rolloutId).orElse(null);
    if (r == null || !Rollout.RUNNING.equals(r.status())) {
      return;
    }
    int wave = r.currentWave();
    while (true) {
      int failed = store.counts(rolloutId).get(DeviceStatus.FAILED);
      RolloutDecision decision =
          RolloutDecision.decide(
              failed,
              r.failuresAcknowledged(),
              r.failureThreshold(),
              store.unfinished(rolloutId, wave),
              store.watched(rolloutId, wave, clock.instant()),
              wave >= r.waveCount() - 1);
      switch (decision) {
        case WAIT -> {
          return;
        }
        case PAUSE -> {
          String reason =
              failed + " devices failed, more than the threshold of " + r.failureThreshold();
          store.update(rolloutId, Rollout.PAUSED, reason, wave, r.failuresAcknowledged());
          log.info("rollout {} paused: {}", rolloutId, reason);
          return;
        }
        case COMPLETE -> {
          store.update(rolloutId, Rollout.COMPLETED, null, wave, r.failuresAcknowledged());
          return;
        }
        case NEXT_WAVE -> {
          wave++;
          store.update(rolloutId, Rollout.RUNNING, null, wave, r.failuresAcknowledged());
          startWave(r, wave);
        }
      }
    }
  }

  /** Changes the feature set of every pending device of the wave. */
  void startWave(Rollout r, int wave) {
    for (UUID device : store.pending(r.id(), wave)) {
      Instant now = clock.instant();
      try {
        Long revision = change(r, device);
        // A device whose set does not change has nothing new to apply.
        store.mark(
            r.id(),
            device,
            revision != null ? DeviceStatus.WAITING : DeviceStatus.APPLIED,
            now,
            null);
        if (revision != null) {
          awaited.changed(r.id(), device, revision);
        }
      } catch (EmsException e) {
        store.mark(
            r.id(), device, DeviceStatus.FAILED, now, e.code().code() + ": " + e.getMessage());
      }
    }
  }

  /**
   * Changes the device's set; returns the revision the change gave it (whose version the device
   * must then report, see {@code ProducedVersion}), or null when nothing changed.
   */
  private Long change(Rollout r, UUID device) {
    Outcome outcome;
    // The setting a rollback puts back. Read before the change locks the device, so an operator's
    // change of the same feature in between is missed: a rollback would put back the one before.
    FeatureSetting before = features.list(r.tenant(), device).features().get(r.featureKey());
    if (RolloutRequest.DISABLE.equals(r.action())) {
      if (before == null) {
        return null;
      }
      outcome = features.remove(r.tenant(), device, r.featureKey(), null);
    } else {
      Map<String, Object> params = r.params() == null ? Map.of() : r.params();
      outcome = features.put(r.tenant(), device, r.featureKey(), params, null);
    }
    if (!outcome.changed()) {
      return null;
    }
    watched.previous(r.id(), device, before);
    return outcome.revision();
  }
}
