package dev.ems.tw.rollout;

import dev.ems.common.event.ConfigStatusReported;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Device reports and timeouts that move rollouts forward. */
@Service
class RolloutProgress {

  private final RolloutStore store;
  private final RolloutEngine engine;

  RolloutProgress(RolloutStore store, RolloutEngine engine) {
    this.store = store;
    this.engine = engine;
  }

  /** Idempotent: a redelivered report finds no device waiting and changes nothing. */
  @Transactional
  void reported(String tenant, ConfigStatusReported report) {
    boolean applied = "APPLIED".equals(report.status());
    if (!applied && !"FAILED".equals(report.status())) {
      return;
    }
    Instant at = report.reportedAt() == null ? Instant.now() : report.reportedAt();
    for (UUID rollout : store.report(tenant, report.deviceId(), applied, at, report.error())) {
      engine.advance(rollout);
    }
  }
}
