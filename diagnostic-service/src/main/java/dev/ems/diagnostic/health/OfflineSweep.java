package dev.ems.diagnostic.health;

import dev.ems.diagnostic.system.DiagnosticProperties;
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

  OfflineSweep(HealthService health, DiagnosticProperties properties) {
    this.health = health;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${diag.sweep-interval}")
  void sweep() {
    while (health.markOverdueOffline() == properties.sweepBatchSize()) {
      // a full batch: more devices may be overdue
    }
  }
}
