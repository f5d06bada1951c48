package dev.ems.diagnostic.health;

import java.sql.Array;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Health per device (table {@code device_health}). */
@Repository
class DeviceHealthStore {

  record DeviceHealth(
      UUID deviceId, String serial, String health, List<String> reasons, Instant changedAt) {}

  private final JdbcClient jdbc;

  DeviceHealthStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Registers a device as UNKNOWN; a redelivered event changes nothing. */
  void register(String tenant, UUID deviceId, String serial, Instant at) {
    jdbc.sql(
            """
            insert into device_health (device_id, tenant_id, serial, health, reasons, changed_at)
            values (?, ?, ?, 'UNKNOWN', array['no heartbeat received yet'], ?)
            on conflict (device_id) do nothing
            """)
        .params(deviceId, tenant, serial, java.sql.Timestamp.from(at))
        .update();
  }

  Optional<DeviceHealth> find(String tenant, UUID deviceId) {
    return jdbc.sql(
            "select device_id, serial, health, reasons, changed_at from device_health"
                + " where tenant_id = ? and device_id = ?")
        .params(tenant, deviceId)
        .query(
            (rs, n) ->
                new DeviceHealth(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    strings(rs.getArray(4)),
                    rs.getTimestamp(5).toInstant()))
        .optional();
  }

  Map<String, Long> countByHealth(String tenant) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String h : List.of("OK", "WARNING", "CRITICAL", "UNKNOWN")) {
      counts.put(h, 0L);
    }
    jdbc.sql("select health, count(*) from device_health where tenant_id = ? group by health")
        .param(tenant)
        .query(
            rs -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  private static List<String> strings(Array array) throws java.sql.SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }
}
