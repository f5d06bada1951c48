package dev.ems.diagnostic.health;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.alert.Alerts;
import dev.ems.diagnostic.health.model.AlertConfirmation;
import dev.ems.diagnostic.health.model.Connectivity;
import dev.ems.diagnostic.health.model.DeviceState;
import dev.ems.diagnostic.health.model.Finding;
import dev.ems.diagnostic.health.model.Health;
import dev.ems.diagnostic.health.model.HealthRules;
import dev.ems.diagnostic.system.DiagnosticProperties;
import dev.ems.platform.outbox.Outbox;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves a locked device to a new state: derives its health, emits {@link HealthChanged} when the
 * level changes (transitions only) and keeps its alerts in step when its conditions change (a
 * tunnel-down condition only once {@link AlertConfirmation} confirmed it). Runs in the caller's
 * transaction so the event and alerts commit with the state.
 */
@Component
public class HealthRecorder {

  static final String SOURCE = "/diagnostic-service";

  private final Outbox outbox;
  private final Alerts alerts;
  private final DiagnosticProperties properties;

  HealthRecorder(Outbox outbox, Alerts alerts, DiagnosticProperties properties) {
    this.outbox = outbox;
    this.alerts = alerts;
    this.properties = properties;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public DeviceRecord transition(
      DeviceRecord before, DeviceState after, Instant now, boolean heartbeat) {
    Health health = HealthRules.derive(after);
    Instant changedAt = before.changedAt();
    if (health.level() != before.level()) {
      changedAt = now;
      var event =
          new HealthChanged(
              before.deviceId(),
              health.level().name(),
              before.level().name(),
              health.reasons(),
              now);
      outbox.append(
          Topics.DIAG_HEALTH,
          EventEnvelope.of(SOURCE, before.tenant(), before.deviceId().toString(), event));
    }
    List<Finding> alertable = health.findings().stream().filter(Finding::alertable).toList();
    var confirmation =
        AlertConfirmation.of(
            before.conditions(),
            before.pending(),
            alertable,
            heartbeat,
            properties.alertConfirmHeartbeats());
    List<String> conditions = confirmation.conditions();
    if (!conditions.equals(before.conditions())) {
      alerts.sync(
          before.tenant(), before.deviceId(), before.conditions(), confirmation.raised(), now);
    }
    return new DeviceRecord(
        before.deviceId(),
        before.tenant(),
        before.serial(),
        after,
        health.level(),
        health.reasons(),
        conditions,
        confirmation.pending(),
        changedAt,
        deadline(after, now),
        before.firmware(),
        before.uptimeSeconds(),
        before.lastMetricsAt());
  }

  /**
   * When an ONLINE device turns OFFLINE. A receivedAt ahead of our clock is capped at now, so a
   * device-api with a fast clock cannot keep a silent device online.
   */
  private Instant deadline(DeviceState state, Instant now) {
    if (state.connectivity() != Connectivity.ONLINE) {
      return null;
    }
    Instant seen = state.lastSeen().isAfter(now) ? now : state.lastSeen();
    return seen.plus(properties.offlineAfter());
  }
}
