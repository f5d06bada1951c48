package dev.ems.diagnostic.fleet;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read side of the fleet API, always within one tenant. */
@Repository
class FleetQueries {

  static final List<String> LEVELS = List.of("OK", "WARNING", "CRITICAL", "UNKNOWN");

  record DeviceSummary(
      UUID deviceId,
      String serial,
      String health,
      List<String> reasons,
      String connectivity,
      Instant lastSeen,
      Instant changedAt) {}

  record TunnelEventView(String tunnel, String state, String previousState, Instant at) {}

  private final JdbcClient jdbc;

  FleetQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Map<String, Long> countByHealth(String tenant) {
    Map<String, Long> counts = new LinkedHashMap<>();
    LEVELS.forEach(l -> counts.put(l, 0L));
    jdbc.sql("select health, count(*) from device_health where tenant_id = ? group by health")
        .param(tenant)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> counts.put(rs.getString(1), rs.getLong(2)));
    return counts;
  }

  List<DeviceSummary> devices(String tenant, String health, int page, int size) {
    return jdbc.sql(
            "select device_id, serial, health, reasons, connectivity, last_seen, changed_at"
                + " from device_health where tenant_id = ? and health = ?"
                + " order by changed_at desc, device_id limit ? offset ?")
        .params(tenant, health, size, (long) page * size)
        .query(
            (rs, n) ->
                new DeviceSummary(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    strings(rs.getArray(4)),
                    rs.getString(5),
                    instant(rs, 6),
                    instant(rs, 7)))
        .list();
  }

  long count(String tenant, String health) {
    return jdbc.sql("select count(*) from device_health where tenant_id = ? and health = ?")
        .params(tenant, health)
        .query(Long.class)
        .single();
  }

  boolean exists(String tenant, UUID deviceId) {
    return jdbc.sql("select count(*) from device_health where tenant_id = ? and device_id = ?")
            .params(tenant, deviceId)
            .query(Long.class)
            .single()
        > 0;
  }

  List<TunnelEventView> tunnelHistory(String tenant, UUID deviceId, int page, int size) {
    return jdbc.sql(
            "select tunnel, state, previous_state, at from tunnel_event"
                + " where tenant_id = ? and device_id = ? order by at desc, id desc"
                + " limit ? offset ?")
        .params(tenant, deviceId, size, (long) page * size)
        .query(
            (rs, n) ->
                new TunnelEventView(
                    rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)))
        .list();
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
