package dev.ems.diagnostic.alert;

import dev.ems.diagnostic.system.DiagnosticProperties;
import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Resolves alerts once their hold-down passed; a single conditional update, safe on N instances.
 */
@Component
class AlertSweep {

  private final Alerts alerts;
  private final Clock clock;
  private final DiagnosticProperties properties;

  AlertSweep(Alerts alerts, Clock clock, DiagnosticProperties properties) {
    this.alerts = alerts;
    this.clock = clock;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${diag.sweep-interval}")
  void sweep() {
    alerts.resolveCleared(clock.instant().minus(properties.alertHoldDown()));
  }
}
