package dev.ems.diagnostic.check;

import dev.ems.common.event.CheckResultReported;
import dev.ems.diagnostic.ingest.TelemetryMetrics;
import java.time.Clock;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a device's answer to a check. Only a PENDING check changes, so a redelivered result, or
 * one arriving after the check timed out, is counted and ignored.
 */
@Service
public class CheckResults {

  private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED");
  private static final int MAX_OUTPUT = 64 * 1024;

  private final Checks checks;
  private final TelemetryMetrics metrics;
  private final Clock clock;

  CheckResults(Checks checks, TelemetryMetrics metrics, Clock clock) {
    this.checks = checks;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Transactional
  public void complete(String tenant, CheckResultReported result) {
    if (result.commandId() == null
        || result.deviceId() == null
        || !FINAL.contains(result.status())) {
      metrics.rejected("check-result", "invalid");
      return;
    }
    String output = result.output();
    if (output != null && output.length() > MAX_OUTPUT) {
      output = output.substring(0, MAX_OUTPUT);
    }
    var at = result.completedAt() == null ? clock.instant() : result.completedAt();
    if (!checks.complete(
        tenant, result.commandId(), result.deviceId(), result.status(), output, at)) {
      metrics.rejected("check-result", "late-or-unknown");
    }
  }
}
