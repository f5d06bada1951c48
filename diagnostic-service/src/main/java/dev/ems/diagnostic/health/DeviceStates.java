package dev.ems.diagnostic.health;

import dev.ems.diagnostic.health.model.CertState;
import dev.ems.diagnostic.health.model.ConfigState;
import dev.ems.diagnostic.health.model.Connectivity;
import dev.ems.diagnostic.health.model.DeviceState;
import dev.ems.diagnostic.health.model.Level;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Device rows ({@code device_health}); every writer locks the rows it changes. */
@Repository
public class DeviceStates {

  private static final String COLUMNS =
      "device_id, tenant_id, serial, health, reasons, conditions, changed_at, next_deadline,"
          + " connectivity, last_seen, tunnel_names, tunnel_states, clock_skew_seconds, firmware,"
          + " uptime_seconds, last_metrics_at, desired_version, desired_sha, reported_version,"
          + " reported_sha, reported_status, reported_error, reported_at, cert_status,"
          + " cert_serial, cert_detail, pending_conditions, pending_counts, applied_version,"
          + " applied_sha, applied_at, running_sha, drift_since, headend_tunnel";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  DeviceStates(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  /** Registers a device as UNKNOWN; a redelivered event changes nothing. */
  void register(String tenant, UUID deviceId, String serial, Instant at) {
    jdbc.sql(
            """
            insert into device_health (device_id, tenant_id, serial, health, reasons, changed_at)
            values (?, ?, ?, 'UNKNOWN', array['no heartbeat received yet'], ?)
            on conflict (device_id) do nothing
            """)
        .params(deviceId, tenant, serial, Timestamp.from(at))
        .update();
  }

  /** Locks and reads the devices that exist, in id order (a fixed order avoids deadlocks). */
  public List<DeviceRecord> lock(Collection<UUID> ids) {
    String[] keys = ids.stream().map(UUID::toString).sorted().toArray(String[]::new);
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from device_health where device_id = any(?::uuid[])"
                + " order by device_id for update")
        .param(keys)
        .query(DeviceStates::map)
        .list();
  }

  /**
   * Locks ONLINE devices whose deadline the ingest watermark passed that no other instance holds.
   * No index: a heartbeat moves the deadline, and an index on it would make every heartbeat a
   * non-HOT update; the scan of the table costs a few milliseconds per sweep.
   */
  List<DeviceRecord> lockOverdue(Instant watermark, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from device_health where connectivity = 'ONLINE' and next_deadline <= ?"
                + " order by next_deadline limit ? for update skip locked")
        .params(Timestamp.from(watermark), limit)
        .query(DeviceStates::map)
        .list();
  }

  /** The tenant's devices the headend last reported with an ESTABLISHED management tunnel. */
  public List<UUID> headendEstablished(String tenant) {
    return jdbc.sql(
            "select device_id from device_health where tenant_id = ?"
                + " and headend_tunnel = 'ESTABLISHED'")
        .param(tenant)
        .query(UUID.class)
        .list();
  }

  /** Those of the tenant's devices whose current certificate PKI reported revoked. */
  public List<UUID> revoked(String tenant, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "select device_id from device_health where tenant_id = ?"
                + " and device_id = any(?::uuid[]) and cert_status = 'REVOKED'")
        .params(tenant, ids.stream().map(UUID::toString).toArray(String[]::new))
        .query(UUID.class)
        .list();
  }

  public Optional<DeviceRecord> find(String tenant, UUID deviceId) {
    return jdbc.sql(
            "select " + COLUMNS + " from device_health where tenant_id = ? and device_id = ?")
        .params(tenant, deviceId)
        .query(DeviceStates::map)
        .optional();
  }

  /** Writes the records back in one JDBC batch. */
  public void save(List<DeviceRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    template.batchUpdate(
        """
        update device_health set health = ?, reasons = ?, conditions = ?, changed_at = ?,
          next_deadline = ?, connectivity = ?, last_seen = ?, tunnel_names = ?, tunnel_states = ?,
          clock_skew_seconds = ?, firmware = ?, uptime_seconds = ?, last_metrics_at = ?,
          desired_version = ?, desired_sha = ?, reported_version = ?, reported_sha = ?,
          reported_status = ?, reported_error = ?, reported_at = ?, cert_status = ?,
          cert_serial = ?, cert_detail = ?, pending_conditions = ?, pending_counts = ?,
          applied_version = ?, applied_sha = ?, applied_at = ?, running_sha = ?, drift_since = ?,
          headend_tunnel = ?
        where device_id = ?
        """,
        records,
        records.size(),
        (ps, r) -> {
          DeviceState s = r.state();
          ConfigState c = s.config();
          int i = 1;
          ps.setString(i++, r.level().name());
          ps.setArray(i++, ps.getConnection().createArrayOf("text", r.reasons().toArray()));
          ps.setArray(i++, ps.getConnection().createArrayOf("text", r.conditions().toArray()));
          ps.setTimestamp(i++, ts(r.changedAt()));
          ps.setTimestamp(i++, ts(r.nextDeadline()));
          ps.setString(i++, s.connectivity().name());
          ps.setTimestamp(i++, ts(s.lastSeen()));
          ps.setArray(
              i++, ps.getConnection().createArrayOf("text", s.tunnels().keySet().toArray()));
          ps.setArray(
              i++, ps.getConnection().createArrayOf("text", s.tunnels().values().toArray()));
          ps.setObject(i++, s.clockSkewSeconds());
          ps.setString(i++, r.firmware());
          ps.setObject(i++, r.uptimeSeconds());
          ps.setTimestamp(i++, ts(r.lastMetricsAt()));
          ps.setObject(i++, c.desiredVersion());
          ps.setString(i++, c.desiredSha());
          ps.setObject(i++, c.reportedVersion());
          ps.setString(i++, c.reportedSha());
          ps.setString(i++, c.reportedStatus());
          ps.setString(i++, c.reportedError());
          ps.setTimestamp(i++, ts(c.reportedAt()));
          ps.setString(i++, s.cert().status());
          ps.setString(i++, s.cert().serial());
          ps.setString(i++, s.cert().detail());
          ps.setArray(
              i++, ps.getConnection().createArrayOf("text", r.pending().keySet().toArray()));
          ps.setArray(
              i++, ps.getConnection().createArrayOf("int4", r.pending().values().toArray()));
          ps.setObject(i++, c.appliedVersion());
          ps.setString(i++, c.appliedSha());
          ps.setTimestamp(i++, ts(c.appliedAt()));
          ps.setString(i++, c.runningSha());
          ps.setTimestamp(i++, ts(c.driftSince()));
          ps.setString(i++, s.headendTunnel());
          ps.setObject(i, r.deviceId());
        });
  }

  private static DeviceRecord map(ResultSet rs, int n) throws SQLException {
    String[] names = strings(rs.getArray("tunnel_names"));
    String[] states = strings(rs.getArray("tunnel_states"));
    Map<String, String> tunnels = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(names.length, states.length); i++) {
      tunnels.put(names[i], states[i]);
    }
    var config =
        new ConfigState(
            (Integer) rs.getObject("desired_version"),
            rs.getString("desired_sha"),
            (Integer) rs.getObject("reported_version"),
            rs.getString("reported_sha"),
            rs.getString("reported_status"),
            rs.getString("reported_error"),
            instant(rs, "reported_at"),
            (Integer) rs.getObject("applied_version"),
            rs.getString("applied_sha"),
            instant(rs, "applied_at"),
            rs.getString("running_sha"),
            instant(rs, "drift_since"));
    var cert =
        new CertState(
            rs.getString("cert_status"), rs.getString("cert_serial"), rs.getString("cert_detail"));
    var state =
        new DeviceState(
            Connectivity.valueOf(rs.getString("connectivity")),
            instant(rs, "last_seen"),
            tunnels,
            (Long) rs.getObject("clock_skew_seconds"),
            config,
            cert,
            rs.getString("headend_tunnel"));
    return new DeviceRecord(
        rs.getObject("device_id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("serial"),
        state,
        Level.valueOf(rs.getString("health")),
        Arrays.asList(strings(rs.getArray("reasons"))),
        Arrays.asList(strings(rs.getArray("conditions"))),
        pending(rs),
        instant(rs, "changed_at"),
        instant(rs, "next_deadline"),
        rs.getString("firmware"),
        (Long) rs.getObject("uptime_seconds"),
        instant(rs, "last_metrics_at"));
  }

  private static Map<String, Integer> pending(ResultSet rs) throws SQLException {
    String[] conditions = strings(rs.getArray("pending_conditions"));
    Array countArray = rs.getArray("pending_counts");
    Integer[] counts = countArray == null ? new Integer[0] : (Integer[]) countArray.getArray();
    Map<String, Integer> pending = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(conditions.length, counts.length); i++) {
      pending.put(conditions[i], counts[i]);
    }
    return pending;
  }

  private static String[] strings(Array array) throws SQLException {
    return array == null ? new String[0] : (String[]) array.getArray();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
