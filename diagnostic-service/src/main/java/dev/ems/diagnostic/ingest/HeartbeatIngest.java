package dev.ems.diagnostic.ingest;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.diagnostic.health.DeviceRecord;
import dev.ems.diagnostic.health.DeviceStates;
import dev.ems.diagnostic.health.HealthRecorder;
import dev.ems.diagnostic.health.IngestWatermarks;
import dev.ems.diagnostic.health.model.HeartbeatFold;
import dev.ems.diagnostic.health.model.TunnelChange;
import dev.ems.diagnostic.system.DiagnosticProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a poll of heartbeats in one transaction. A device's only heartbeat in the poll first tries
 * the set-based fast path ({@link SteadyHeartbeats}: nothing but liveness changed); the rest (state
 * changes, several heartbeats of one device, stale, unknown) take the full path: one locking read,
 * the fold in memory, one batched update, history inserts. Redelivered or older heartbeats are
 * stale (receivedAt not after the stored one) and change nothing. The partitions' watermarks move
 * in the same transaction, so the offline sweep never sees a watermark ahead of stored state.
 */
@Service
class HeartbeatIngest {

  private final DeviceStates states;
  private final SteadyHeartbeats steady;
  private final IngestWatermarks watermarks;
  private final HealthRecorder recorder;
  private final TelemetryHistory history;
  private final TelemetryMetrics metrics;
  private final DiagnosticProperties properties;
  private final Clock clock;

  HeartbeatIngest(
      DeviceStates states,
      SteadyHeartbeats steady,
      IngestWatermarks watermarks,
      HealthRecorder recorder,
      TelemetryHistory history,
      TelemetryMetrics metrics,
      DiagnosticProperties properties,
      Clock clock) {
    this.states = states;
    this.steady = steady;
    this.watermarks = watermarks;
    this.recorder = recorder;
    this.history = history;
    this.metrics = metrics;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  public void ingest(
      List<EventEnvelope<HeartbeatReceived>> heartbeats, Map<Integer, Instant> consumedUntil) {
    Instant now = clock.instant();
    if (heartbeats.isEmpty()) {
      watermarks.advance(consumedUntil, now);
      return;
    }
    long started = System.nanoTime();
    metrics.received(heartbeats.size());
    Map<UUID, List<EventEnvelope<HeartbeatReceived>>> byDevice = new TreeMap<>();
    for (var hb : heartbeats) {
      byDevice.computeIfAbsent(hb.payload().deviceId(), k -> new ArrayList<>()).add(hb);
    }
    List<TelemetryHistory.Sample> samples = new ArrayList<>();
    int accepted = fastPath(byDevice, now, samples);
    List<DeviceRecord> changed = new ArrayList<>();
    List<TelemetryHistory.TunnelEvent> tunnelEvents = new ArrayList<>();
    for (DeviceRecord device :
        byDevice.isEmpty() ? List.<DeviceRecord>of() : states.lock(byDevice.keySet())) {
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
        current = recorder.transition(current, result.state(), now, true);
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
    watermarks.advance(consumedUntil, now);
    metrics.accepted(accepted);
    metrics.ingestTime(Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Stores the heartbeats that change nothing but liveness in one statement and removes them from
   * {@code byDevice}; the number stored.
   */
  private int fastPath(
      Map<UUID, List<EventEnvelope<HeartbeatReceived>>> byDevice,
      Instant now,
      List<TelemetryHistory.Sample> samples) {
    List<EventEnvelope<HeartbeatReceived>> single = new ArrayList<>(byDevice.size());
    byDevice
        .values()
        .forEach(
            l -> {
              if (l.size() == 1) {
                single.add(l.getFirst());
              }
            });
    if (single.isEmpty()) {
      return 0;
    }
    Map<UUID, Boolean> touched =
        steady.touch(
            single,
            now,
            properties.offlineAfter(),
            properties.metricsSampleInterval(),
            properties.clockSkewThreshold());
    for (var event : single) {
      HeartbeatReceived hb = event.payload();
      Boolean sampled = touched.get(hb.deviceId());
      if (sampled == null) {
        continue;
      }
      byDevice.remove(hb.deviceId());
      if (sampled) {
        samples.add(new TelemetryHistory.Sample(event.tenant(), hb));
      }
      if (HeartbeatFold.skew(hb, properties.clockSkewThreshold()) != null) {
        metrics.skewed();
      }
    }
    metrics.steady(touched.size());
    return touched.size();
  }

  private boolean sampleDue(Instant lastSample, Instant at) {
    return !at.isBefore(lastSample.plus(properties.metricsSampleInterval()));
  }
}
