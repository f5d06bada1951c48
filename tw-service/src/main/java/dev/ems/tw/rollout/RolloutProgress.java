package dev.ems.tw.rollout;

import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.tw.rollout.AwaitedVersions.Awaiting;
import dev.ems.tw.rollout.model.ProducedVersion;
import dev.ems.tw.rollout.model.ProducedVersion.Verdict;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Published versions and device reports that move rollouts forward. A device counts only when it
 * reports the exact version produced for it (see {@link ProducedVersion}); both handlers are
 * idempotent: a redelivered event finds the version already recorded or the device finished.
 */
@Service
class RolloutProgress {

  private final AwaitedVersions store;
  private final RolloutEngine engine;

  RolloutProgress(AwaitedVersions store, RolloutEngine engine) {
    this.store = store;
    this.engine = engine;
  }

  /**
   * A version published for a device becomes the produced one of every rollout waiting for the
   * device without one yet whose change caused it (see {@link ProducedVersion#producedBy}); without
   * a cause it is the first version consumed after the change, as the device is WAITING only once
   * its wave's change was committed.
   */
  @Transactional
  void published(String tenant, ConfigPublished event) {
    ProducedVersion published = new ProducedVersion(event.version(), event.sha256());
    for (Awaiting a : store.waiting(tenant, event.deviceId())) {
      if (a.produced() != null || !ProducedVersion.producedBy(event.cause(), a.revision())) {
        continue;
      }
      store.produced(a.rolloutId(), event.deviceId(), published);
      if (a.early() != null) {
        settle(a.rolloutId(), event.deviceId(), published.judge(a.early()), a.early().error());
      }
    }
  }

  @Transactional
  void reported(String tenant, ConfigStatusReported report) {
    if (!"APPLIED".equals(report.status()) && !"FAILED".equals(report.status())) {
      return;
    }
    for (Awaiting a : store.waiting(tenant, report.deviceId())) {
      if (a.produced() == null) {
        // Its version may still be on its way from SC; judged when it arrives.
        store.early(a.rolloutId(), report.deviceId(), report);
      } else {
        settle(
            a.rolloutId(),
            report.deviceId(),
            ProducedVersion.judge(a.produced(), report),
            report.error());
      }
    }
  }

  private void settle(UUID rolloutId, UUID deviceId, Verdict verdict, String error) {
    if (verdict == Verdict.IGNORED) {
      return;
    }
    store.finish(rolloutId, deviceId, verdict == Verdict.APPLIED, error);
    engine.advance(rolloutId);
  }
}
