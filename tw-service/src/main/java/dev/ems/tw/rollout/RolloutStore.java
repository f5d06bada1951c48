package dev.ems.tw.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollouts and the state of each of their devices (tables {@code rollout}, {@code rollout_device}).
 */
@Repository
class RolloutStore {

  enum DeviceStatus {
    PENDING,
    WAITING,
    APPLIED,
    FAILED,
    SKIPPED,
    /** Its health dropped inside its watch window; waiting for the rollback's version. */
    ROLLING_BACK,
    /** Runs the configuration from before the rollout again. */
    ROLLED_BACK
  }

  /**
   * A device of a rollout as the API shows it. The times are tw-service's, except {@code
   * healthDroppedAt} (diagnostic-service's); rollback latency is {@code rolledBackAt} minus {@code
   * healthDroppedAt}.
   */
  record DeviceState(
      UUID deviceId,
      int wave,
      DeviceStatus status,
      String error,
      Instant changedAt,
      Instant appliedAt,
      Instant watchUntil,
      Instant healthDroppedAt,
      List<String> healthReasons,
      Instant rollbackStartedAt,
      Instant rolledBackAt) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  RolloutStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(Rollout r, List<List<UUID>> waves) {
    jdbc.sql(
            """
            insert into rollout (id, tenant_id, feature_key, action, params, selector, wave_size,
              failure_threshold, wave_timeout_ms, wave_count, status, created_at, updated_at,
              watch_window_ms)
            values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            r.id(),
            r.tenant(),
            r.featureKey(),
            r.action(),
            r.params() == null ? null : json.writeValueAsString(r.params()),
            json.writeValueAsString(r.selector()),
            r.waveSize(),
            r.failureThreshold(),
            r.waveTimeoutMs(),
            r.waveCount(),
            r.status(),
            Timestamp.from(r.createdAt()),
            Timestamp.from(r.createdAt()),
            r.watchWindowMs())
        .update();
    for (int wave = 0; wave < waves.size(); wave++) {
      for (UUID device : waves.get(wave)) {
        jdbc.sql(
                "insert into rollout_device (rollout_id, device_id, wave, status)"
                    + " values (?, ?, ?, 'PENDING')")
            .params(r.id(), device, wave)
            .update();
      }
    }
  }

  Optional<Rollout> find(String tenant, UUID id) {
    return jdbc.sql("select * from rollout where id = ? and tenant_id = ?")
        .params(id, tenant)
        .query(this::map)
        .optional();
  }

  /** The rollout with its row locked: one decision about a rollout at a time. */
  Optional<Rollout> lock(UUID id) {
    return jdbc.sql("select * from rollout where id = ? for update")
        .param(id)
        .query(this::map)
        .optional();
  }

  List<Rollout> list(String tenant) {
    return jdbc.sql("select * from rollout where tenant_id = ? order by created_at desc limit 200")
        .param(tenant)
        .query(this::map)
        .list();
  }

  void update(UUID id, String status, String reason, int currentWave, int acknowledged) {
    jdbc.sql(
            "update rollout set status = ?, pause_reason = ?, current_wave = ?,"
                + " failures_acknowledged = ?, updated_at = now() where id = ?")
        .params(status, reason, currentWave, acknowledged, id)
        .update();
  }

  List<DeviceState> devices(UUID rolloutId) {
    return jdbc.sql(
            "select device_id, wave, status, error, changed_at, applied_at, watch_until,"
                + " health_dropped_at, health_reasons::text as health_reasons, rollback_started_at,"
                + " rolled_back_at from rollout_device where rollout_id = ? order by wave, device_id")
        .param(rolloutId)
        .query(
            (rs, n) -> {
              String reasons = rs.getString("health_reasons");
              return new DeviceState(
                  rs.getObject("device_id", UUID.class),
                  rs.getInt("wave"),
                  DeviceStatus.valueOf(rs.getString("status")),
                  rs.getString("error"),
                  instant(rs, "changed_at"),
                  instant(rs, "applied_at"),
                  instant(rs, "watch_until"),
                  instant(rs, "health_dropped_at"),
                  reasons == null
                      ? null
                      : json.readValue(reasons, new TypeReference<List<String>>() {}),
                  instant(rs, "rollback_started_at"),
                  instant(rs, "rolled_back_at"));
            })
        .list();
  }

  Map<DeviceStatus, Integer> counts(UUID rolloutId) {
    Map<DeviceStatus, Integer> counts = new EnumMap<>(DeviceStatus.class);
    for (DeviceStatus s : DeviceStatus.values()) {
      counts.put(s, 0);
    }
    jdbc.sql(
            "select status, count(*) as n from rollout_device where rollout_id = ? group by status")
        .param(rolloutId)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> counts.put(DeviceStatus.valueOf(rs.getString("status")), rs.getInt("n")));
    return counts;
  }

  int unfinished(UUID rolloutId, int wave) {
    return jdbc.sql(
            "select count(*) from rollout_device where rollout_id = ? and wave = ?"
                + " and status in ('PENDING', 'WAITING')")
        .params(rolloutId, wave)
        .query(Integer.class)
        .single();
  }

  /** Devices of the wave whose health watch window is still open at {@code now}. */
  int watched(UUID rolloutId, int wave, Instant now) {
    return jdbc.sql(
            "select count(*) from rollout_device where rollout_id = ? and wave = ?"
                + " and status = 'APPLIED' and watch_until > ?")
        .params(rolloutId, wave, Timestamp.from(now))
        .query(Integer.class)
        .single();
  }

  /**
   * Running rollouts whose current wave has finished and whose last watch window passed by {@code
   * now}: nothing but time moves them on, so the sweep lets them decide.
   */
  List<UUID> watchPassed(Instant now) {
    return jdbc.sql(
            """
            select distinct r.id from rollout r
            join rollout_device d on d.rollout_id = r.id and d.wave = r.current_wave
            where r.status = 'RUNNING' and d.status = 'APPLIED' and d.watch_until <= ?
              and not exists (select 1 from rollout_device w
                where w.rollout_id = r.id and w.wave = r.current_wave
                  and (w.status in ('PENDING', 'WAITING')
                    or (w.status = 'APPLIED' and w.watch_until > ?)))
            """)
        .params(Timestamp.from(now), Timestamp.from(now))
        .query(UUID.class)
        .list();
  }

  List<UUID> pending(UUID rolloutId, int wave) {
    return jdbc.sql(
            "select device_id from rollout_device where rollout_id = ? and wave = ?"
                + " and status = 'PENDING' order by device_id")
        .params(rolloutId, wave)
        .query(UUID.class)
        .list();
  }

  void mark(UUID rolloutId, UUID deviceId, DeviceStatus status, Instant at, String error) {
    boolean waiting = status == DeviceStatus.WAITING;
    jdbc.sql(
            "update rollout_device set status = ?, error = ?, changed_at = coalesce(?, changed_at),"
                + " finished_at = ? where rollout_id = ? and device_id = ?")
        .params(
            status.name(),
            error,
            waiting ? Timestamp.from(at) : null,
            waiting ? null : Timestamp.from(at),
            rolloutId,
            deviceId)
        .update();
  }

  void skipPending(UUID rolloutId) {
    jdbc.sql(
            "update rollout_device set status = 'SKIPPED', finished_at = now()"
                + " where rollout_id = ? and status = 'PENDING'")
        .param(rolloutId)
        .update();
  }

  /**
   * Fails devices of running rollouts that waited longer than their wave timeout, and devices
   * rolling back (their rollout paused or not) that have not applied their rollback's version
   * within it: a device that never reports is FAILED, never left rolling back for good.
   */
  List<UUID> timeOut(Instant now) {
    Timestamp at = Timestamp.from(now);
    List<UUID> waited =
        jdbc.sql(
                """
                update rollout_device d set status = 'FAILED', finished_at = ?,
                  error = 'no APPLIED report within the wave timeout'
                from rollout r
                where r.id = d.rollout_id and r.status = 'RUNNING' and d.status = 'WAITING'
                  and d.changed_at + r.wave_timeout_ms * interval '1 millisecond' < ?
                returning d.rollout_id
                """)
            .params(at, at)
            .query(UUID.class)
            .list();
    List<UUID> rollingBack =
        jdbc.sql(
                """
                update rollout_device d set status = 'FAILED', finished_at = ?,
                  error = 'rollback failed: no APPLIED report of the rollback''s version within'
                    || ' the wave timeout'
                from rollout r
                where r.id = d.rollout_id and d.status = 'ROLLING_BACK'
                  and d.rollback_started_at + r.wave_timeout_ms * interval '1 millisecond' < ?
                returning d.rollout_id
                """)
            .params(at, at)
            .query(UUID.class)
            .list();
    return java.util.stream.Stream.concat(waited.stream(), rollingBack.stream())
        .distinct()
        .toList();
  }

  private Rollout map(ResultSet rs, int row) throws SQLException {
    String params = rs.getString("params");
    return new Rollout(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("feature_key"),
        rs.getString("action"),
        params == null ? null : json.readValue(params, new TypeReference<Map<String, Object>>() {}),
        json.readValue(rs.getString("selector"), new TypeReference<Map<String, Object>>() {}),
        rs.getInt("wave_size"),
        rs.getInt("failure_threshold"),
        rs.getLong("wave_timeout_ms"),
        rs.getInt("wave_count"),
        rs.getInt("current_wave"),
        rs.getInt("failures_acknowledged"),
        rs.getString("status"),
        rs.getString("pause_reason"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getLong("watch_window_ms"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
