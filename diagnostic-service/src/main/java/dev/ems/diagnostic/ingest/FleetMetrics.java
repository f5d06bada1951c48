package dev.ems.diagnostic.ingest;

import dev.ems.platform.metrics.CachedSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The fleet in the scrape: devices by health level ({@code ems_devices_health{level}}) and by
 * connectivity ({@code ems_devices_connectivity{state}}, for the offline-ratio alert), across
 * tenants (a tenant is not a tag: bounded cardinality). One grouped query per scrape at most,
 * cached ({@link CachedSnapshot}). The heartbeat ingest rate is {@code
 * diag_heartbeats_received_total} ({@link TelemetryMetrics}).
 */
@Component
class FleetMetrics {

  static final List<String> LEVELS = List.of("OK", "WARNING", "CRITICAL", "UNKNOWN");
  static final List<String> STATES = List.of("ONLINE", "OFFLINE", "UNKNOWN");

  private final CachedSnapshot<Map<String, Double>> counts;

  FleetMetrics(JdbcClient jdbc, MeterRegistry registry) {
    this.counts =
        new CachedSnapshot<>(
            () -> {
              Map<String, Double> byKey = new HashMap<>();
              jdbc.sql(
                      """
                      select 'health:' || health, count(*) from device_health group by health
                      union all
                      select 'connectivity:' || connectivity, count(*) from device_health
                       group by connectivity
                      """)
                  .query((rs, n) -> byKey.put(rs.getString(1), rs.getDouble(2)))
                  .list();
              return byKey;
            },
            null);
    for (String level : LEVELS) {
      Gauge.builder("ems.devices.health", this, m -> m.count("health:" + level))
          .description("Devices by health level")
          .tag("level", level)
          .register(registry);
    }
    for (String state : STATES) {
      Gauge.builder("ems.devices.connectivity", this, m -> m.count("connectivity:" + state))
          .description("Devices by connectivity")
          .tag("state", state)
          .register(registry);
    }
  }

  private double count(String key) {
    Map<String, Double> current = counts.get();
    return current == null ? Double.NaN : current.getOrDefault(key, 0.0);
  }
}
