package dev.ems.diagnostic.health;

import dev.ems.diagnostic.health.model.DeviceState;
import dev.ems.diagnostic.ingest.TelemetryMetrics;
import dev.ems.diagnostic.system.DiagnosticProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Applies state changes from events and from the offline sweep, one transaction each. */
@Service
public class HealthService {

  private final DeviceStates states;
  private final IngestWatermarks watermarks;
  private final HealthRecorder recorder;
  private final TelemetryMetrics metrics;
  private final Clock clock;
  private final DiagnosticProperties properties;

  HealthService(
      DeviceStates states,
      IngestWatermarks watermarks,
      HealthRecorder recorder,
      TelemetryMetrics metrics,
      Clock clock,
      DiagnosticProperties properties) {
    this.states = states;
    this.watermarks = watermarks;
    this.recorder = recorder;
    this.metrics = metrics;
    this.clock = clock;
    this.properties = properties;
  }

  /**
   * Changes one device's state. Changes are idempotent by construction (version and serial checks
   * in the model), so a redelivered event finds nothing to change. Events for devices this service
   * does not know (or of another tenant) are counted and dropped.
   */
  @Transactional
  public void apply(
      String tenant, UUID deviceId, String source, UnaryOperator<DeviceState> change) {
    List<DeviceRecord> found = states.lock(List.of(deviceId));
    if (found.isEmpty() || !found.getFirst().tenant().equals(tenant)) {
      metrics.rejected(source, found.isEmpty() ? "unknown-device" : "tenant-mismatch");
      return;
    }
    DeviceRecord before = found.getFirst();
    DeviceState after = change.apply(before.state());
    if (!after.equals(before.state())) {
      states.save(List.of(recorder.transition(before, after, clock.instant(), false)));
    }
  }

  /**
   * Marks one batch of overdue devices OFFLINE; the number marked. Silence is measured against the
   * ingest watermark, not wall time: while the consumer is behind, a heartbeat may be waiting in
   * Kafka, so a device is only overdue when its deadline is older than what has been consumed. SKIP
   * LOCKED lets several instances sweep at once without taking the same device, and a heartbeat
   * that commits first moves the deadline, so the row no longer qualifies when locked.
   */
  @Transactional
  public int markOverdueOffline() {
    Instant now = clock.instant();
    Instant consumedUntil = watermarks.current(now);
    List<DeviceRecord> overdue = states.lockOverdue(consumedUntil, properties.sweepBatchSize());
    List<DeviceRecord> changed = new ArrayList<>(overdue.size());
    for (DeviceRecord device : overdue) {
      changed.add(recorder.transition(device, device.state().offline(), now, false));
    }
    states.save(changed);
    metrics.offline(changed.size());
    return changed.size();
  }
}
