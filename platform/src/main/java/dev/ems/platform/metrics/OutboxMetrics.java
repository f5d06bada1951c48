package dev.ems.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox as ops see it: events waiting for the relay ({@code ems.outbox.pending}), the age of
 * the oldest of them ({@code ems.outbox.oldest.age}, seconds; a relay that stopped shows here
 * first) and events set aside after failing ({@code ems.outbox.set.aside}). One query reads all
 * three and its answer is kept for {@link #TTL}, so a scrape costs one query at most and several
 * scrapers (or all three gauges) share it. NaN while the database cannot be read.
 */
final class OutboxMetrics {

  static final Duration TTL = Duration.ofSeconds(5);

  /** The outbox's figures at one moment; NaN for unknown. */
  record Snapshot(double pending, double oldestAgeSeconds, double setAside) {
    static final Snapshot UNKNOWN = new Snapshot(Double.NaN, Double.NaN, Double.NaN);
  }

  private final JdbcClient jdbc;
  private final CachedSnapshot<Snapshot> snapshot;

  OutboxMetrics(JdbcClient jdbc, LongSupplier nanoClock) {
    this.jdbc = jdbc;
    this.snapshot = new CachedSnapshot<>(this::query, Snapshot.UNKNOWN, TTL, nanoClock);
  }

  void bindTo(MeterRegistry registry) {
    gauge(
        registry,
        "ems.outbox.pending",
        "Events in the outbox waiting for the relay",
        null,
        Snapshot::pending);
    gauge(
        registry,
        "ems.outbox.oldest.age",
        "Age of the oldest event waiting for the relay (0 when none waits)",
        "seconds",
        Snapshot::oldestAgeSeconds);
    gauge(
        registry,
        "ems.outbox.set.aside",
        "Events the relay set aside after they failed (need an operator)",
        null,
        Snapshot::setAside);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      String unit,
      ToDoubleFunction<Snapshot> value) {
    Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.current()))
        .description(description)
        .baseUnit(unit)
        .strongReference(true)
        .register(registry);
  }

  /** The cached snapshot, refreshed once it is older than {@link #TTL}. */
  Snapshot current() {
    return snapshot.get();
  }

  private Snapshot query() {
    return jdbc.sql(
            """
              select count(*) filter (where failed_at is null),
                     coalesce(extract(epoch from now()
                         - min(created_at) filter (where failed_at is null)), 0),
                     count(*) filter (where failed_at is not null)
                from outbox_event
              """)
        .query((rs, n) -> new Snapshot(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)))
        .single();
  }
}
