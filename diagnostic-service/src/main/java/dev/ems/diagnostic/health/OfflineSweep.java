package dev.ems.diagnostic.health;

import dev.ems.diagnostic.ingest.TelemetryMetrics;
import dev.ems.diagnostic.system.DiagnosticProperties;
import java.time.Duration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Marks devices OFFLINE once their deadline passed. Runs on every instance; {@link
 * HealthService#markOverdueOffline()} makes that safe. Batches keep transactions short.
 */
@Component
class OfflineSweep {

  private final HealthService health;
  private final DiagnosticProperties properties;
  private final TelemetryMetrics metrics;

  OfflineSweep(HealthService health, DiagnosticProperties properties, TelemetryMetrics metrics) {
    this.health = health;
    this.properties = properties;
    this.metrics = metrics;
  }

  @Scheduled(fixedDelayString = "${diag.sweep-interval}")
  void sweep() {
    long started = System.nanoTime();
    while (health.markOverdueOffline() == properties.sweepBatchSize()) {
      // a full batch: more devices may be overdue
    }
    metrics.sweepTime(Duration.ofNanos(System.nanoTime() - started));
  }
}
