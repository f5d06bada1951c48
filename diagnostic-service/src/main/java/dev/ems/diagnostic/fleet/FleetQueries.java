package dev.ems.diagnostic.fleet;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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

  /**
   * A device whose heartbeats say it runs {@code runningSha}, none of {@code expected} (its last
   * applied bundle, then its latest published one when that differs), since {@code since}.
   */
  record DriftedDevice(
      UUID deviceId,
      String serial,
      String runningSha,
      List<ExpectedBundle> expected,
      Instant since,
      Instant lastSeen) {}

  /** {@code kind}: APPLIED (the last version the device reported applied) or PUBLISHED. */
  record ExpectedBundle(String kind, Integer version, String sha256) {}

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

  List<DriftedDevice> drifted(String tenant, int page, int size) {
    return jdbc.sql(
            "select device_id, serial, running_sha, applied_version, applied_sha,"
                + " desired_version, desired_sha, drift_since, last_seen from device_health"
                + " where tenant_id = ? and drift_since is not null"
                + " order by drift_since, device_id limit ? offset ?")
        .params(tenant, size, (long) page * size)
        .query(
            (rs, n) -> {
              List<ExpectedBundle> expected = new ArrayList<>(2);
              String applied = rs.getString(5);
              String desired = rs.getString(7);
              if (applied != null) {
                expected.add(new ExpectedBundle("APPLIED", (Integer) rs.getObject(4), applied));
              }
              if (desired != null && !desired.equals(applied)) {
                expected.add(new ExpectedBundle("PUBLISHED", (Integer) rs.getObject(6), desired));
              }
              return new DriftedDevice(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  expected,
                  instant(rs, 8),
                  instant(rs, 9));
            })
        .list();
  }

  long countDrifted(String tenant) {
    return jdbc.sql(
            "select count(*) from device_health where tenant_id = ? and drift_since is not null")
        .param(tenant)
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
