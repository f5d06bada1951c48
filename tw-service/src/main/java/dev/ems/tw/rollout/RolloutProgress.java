package dev.ems.tw.rollout;

import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.tw.rollout.AwaitedVersions.Applied;
import dev.ems.tw.rollout.AwaitedVersions.Awaiting;
import dev.ems.tw.rollout.model.HealthWatch;
import dev.ems.tw.rollout.model.ProducedVersion;
import dev.ems.tw.rollout.model.ProducedVersion.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Published versions and device reports that move rollouts forward. A device counts only when it
 * reports the exact version produced for it (see {@link ProducedVersion}), or when that version is
 * the one it last reported APPLIED (SC publishes the device's current version again when a change
 * renders the configuration it already runs). A device rolling back waits for its rollback's
 * version by the same rule. Both handlers are idempotent: a redelivered event finds the version
 * already recorded or the device finished.
 */
@Service
class RolloutProgress {

  private final AwaitedVersions store;
  private final RolloutEngine engine;
  private final HealthRollbacks rollbacks;
  private final Clock clock;

  RolloutProgress(
      AwaitedVersions store, RolloutEngine engine, HealthRollbacks rollbacks, Clock clock) {
    this.store = store;
    this.engine = engine;
    this.rollbacks = rollbacks;
    this.clock = clock;
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
      Verdict verdict = a.early() == null ? Verdict.IGNORED : published.judge(a.early());
      String error = a.early() == null ? null : a.early().error();
      if (verdict == Verdict.IGNORED && runs(tenant, event.deviceId(), published)) {
        verdict = Verdict.APPLIED;
      }
      settle(tenant, a, event.deviceId(), verdict, error);
    }
  }

  @Transactional
  void reported(String tenant, ConfigStatusReported report) {
    if (!"APPLIED".equals(report.status()) && !"FAILED".equals(report.status())) {
      return;
    }
    if ("APPLIED".equals(report.status())) {
      store.applied(tenant, report, clock.instant());
    }
    for (Awaiting a : store.waiting(tenant, report.deviceId())) {
      if (a.produced() == null) {
        // Its version may still be on its way from SC; judged when it arrives.
        store.early(a.rolloutId(), report.deviceId(), report);
      } else {
        settle(
            tenant,
            a,
            report.deviceId(),
            ProducedVersion.judge(a.produced(), report),
            report.error());
      }
    }
  }

  /** Whether the device last reported APPLIED exactly this version. */
  private boolean runs(String tenant, UUID deviceId, ProducedVersion version) {
    Applied last = store.lastApplied(tenant, deviceId).orElse(null);
    return last != null && version.runningOn(last.version(), last.sha256());
  }

  private void settle(String tenant, Awaiting a, UUID deviceId, Verdict verdict, String error) {
    if (verdict == Verdict.IGNORED) {
      return;
    }
    Instant now = clock.instant();
    boolean applied = verdict == Verdict.APPLIED;
    if (a.rollingBack()) {
      store.finishRollback(a.rolloutId(), deviceId, applied, error, now);
    } else {
      store.finish(
          a.rolloutId(), deviceId, applied, error, now, HealthWatch.until(now, a.watchWindow()));
      if (applied) {
        rollbacks.applied(tenant, a.rolloutId(), deviceId);
      }
    }
    engine.advance(a.rolloutId());
  }
}
