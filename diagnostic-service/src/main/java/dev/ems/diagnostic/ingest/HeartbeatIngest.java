package dev.ems.diagnostic.ingest;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.diagnostic.health.DeviceRecord;
import dev.ems.diagnostic.health.DeviceStates;
import dev.ems.diagnostic.health.HealthRecorder;
import dev.ems.diagnostic.health.model.HeartbeatFold;
import dev.ems.diagnostic.health.model.TunnelChange;
import dev.ems.diagnostic.system.DiagnosticProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a poll of heartbeats in one transaction: one locking read of all devices, the fold in
 * memory, one batched update, batched history inserts. Redelivered or older heartbeats are stale
 * (receivedAt not after the stored one) and change nothing.
 */
@Service
class HeartbeatIngest {

  private final DeviceStates states;
  private final HealthRecorder recorder;
  private final TelemetryHistory history;
  private final TelemetryMetrics metrics;
  private final DiagnosticProperties properties;
  private final Clock clock;

  HeartbeatIngest(
      DeviceStates states,
      HealthRecorder recorder,
      TelemetryHistory history,
      TelemetryMetrics metrics,
      DiagnosticProperties properties,
      Clock clock) {
    this.states = states;
    this.recorder = recorder;
    this.history = history;
    this.metrics = metrics;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  public void ingest(List<EventEnvelope<HeartbeatReceived>> heartbeats) {
    if (heartbeats.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    metrics.received(heartbeats.size());
    Map<UUID, List<EventEnvelope<HeartbeatReceived>>> byDevice = new LinkedHashMap<>();
    for (var hb : heartbeats) {
      byDevice.computeIfAbsent(hb.payload().deviceId(), k -> new ArrayList<>()).add(hb);
    }
    Instant now = clock.instant();
    List<DeviceRecord> changed = new ArrayList<>();
    List<TelemetryHistory.TunnelEvent> tunnelEvents = new ArrayList<>();
    List<TelemetryHistory.Sample> samples = new ArrayList<>();
    int accepted = 0;
    for (DeviceRecord device : states.lock(byDevice.keySet())) {
      List<EventEnvelope<HeartbeatReceived>> mine = byDevice.remove(device.deviceId());
      mine.sort(Comparator.comparing(e -> e.payload().receivedAt()));
      DeviceRecord current = device;
      HeartbeatReceived last = null;
      for (var event : mine) {
        if (!event.tenant().equals(device.tenant())) {
          metrics.rejected("telemetry", "tenant-mismatch");
          continue;
        }
        var result =
            HeartbeatFold.apply(current.state(), event.payload(), properties.clockSkewThreshold());
        if (result.stale()) {
          metrics.rejected("telemetry", "stale");
          continue;
        }
        if (result.skewed()) {
          metrics.skewed();
        }
        for (TunnelChange c : result.changes()) {
          tunnelEvents.add(new TelemetryHistory.TunnelEvent(device.tenant(), device.deviceId(), c));
        }
        current = recorder.transition(current, result.state(), now);
        last = event.payload();
        accepted++;
      }
      if (last != null) {
        Instant metricsAt = current.lastMetricsAt();
        if (metricsAt == null || sampleDue(metricsAt, last.receivedAt())) {
          samples.add(new TelemetryHistory.Sample(device.tenant(), last));
          metricsAt = last.receivedAt();
        }
        changed.add(current.withTelemetry(last.firmware(), last.uptimeSeconds(), metricsAt));
      }
    }
    // dropped, not stored provisionally: a device heartbeats only after SC created it, and a
    // provisional row would let any tenant's telemetry invent devices
    byDevice.values().forEach(l -> l.forEach(e -> metrics.rejected("telemetry", "unknown-device")));
    states.save(changed);
    history.tunnelChanges(tunnelEvents);
    history.samples(samples);
    metrics.accepted(accepted);
    metrics.ingestTime(Duration.ofNanos(System.nanoTime() - started));
  }

  private boolean sampleDue(Instant lastSample, Instant at) {
    return !at.isBefore(lastSample.plus(properties.metricsSampleInterval()));
  }
}
