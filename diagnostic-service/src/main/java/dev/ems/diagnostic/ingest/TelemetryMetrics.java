package dev.ems.diagnostic.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counters for what ingest accepts and rejects; bad input is counted here and dropped, never
 * thrown. {@code diag.ingest.time} / {@code diag.heartbeats.received} is the DB time per event.
 */
@Component
public class TelemetryMetrics {

  private static final Logger log = LoggerFactory.getLogger(TelemetryMetrics.class);

  private final MeterRegistry registry;
  private final Counter received;
  private final Counter accepted;
  private final Counter steady;
  private final Counter skewed;
  private final Counter offline;
  private final Timer ingestTime;
  private final Timer sweepTime;

  TelemetryMetrics(MeterRegistry registry) {
    this.registry = registry;
    // with descriptions: the Prometheus scrape's HELP (promtool check metrics asks for it)
    this.received =
        counter(registry, "diag.heartbeats.received", "Heartbeats received (ingest rate)");
    this.accepted = counter(registry, "diag.heartbeats.accepted", "Heartbeats stored");
    this.steady =
        counter(registry, "diag.heartbeats.steady", "Heartbeats stored by the set-based fast path");
    this.skewed =
        counter(registry, "diag.heartbeats.clock-skew", "Heartbeats whose device clock is off");
    this.offline =
        counter(registry, "diag.devices.marked-offline", "Devices marked offline by the sweep");
    this.ingestTime =
        Timer.builder("diag.ingest.time").description("Database time of ingest").register(registry);
    this.sweepTime =
        Timer.builder("diag.offline-sweep.time")
            .description("One run of the offline sweep")
            .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /**
   * An event dropped for a reason: unknown-device, tenant-mismatch, stale (duplicate or out of
   * order), invalid, late-result.
   */
  public void rejected(String source, String reason) {
    Counter.builder("diag.events.rejected")
        .description("Events dropped, by source and reason")
        .tags("source", source, "reason", reason)
        .register(registry)
        .increment();
    log.debug("dropped {} event: {}", source, reason);
  }

  void received(int n) {
    received.increment(n);
  }

  void accepted(int n) {
    accepted.increment(n);
  }

  /** Heartbeats stored by the set-based fast path (nothing but liveness changed). */
  void steady(int n) {
    steady.increment(n);
  }

  void skewed() {
    skewed.increment();
  }

  public void offline(int n) {
    offline.increment(n);
  }

  void ingestTime(Duration d) {
    ingestTime.record(d);
  }

  /** One run of the offline sweep (it scans the device table: watch it grow with the fleet). */
  public void sweepTime(Duration d) {
    sweepTime.record(d);
  }
}
