package dev.ems.tw.rollout;

import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.tw.rollout.model.HealthWatch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The health watch and rollback of rollout devices (columns of {@code rollout_device}): the setting
 * of the rollout's feature each device had before its wave changed it, and what a rollback
 * recorded.
 */
@Repository
class WatchedDevices {

  /**
   * A device a rollout still watches: its window and the setting to put back ({@code previous}
   * null: the feature was not set).
   */
  record Watched(UUID rolloutId, HealthWatch watch, FeatureSetting previous) {}

  /** A CRITICAL health consumed while the device still waited for its APPLIED report. */
  record PendingDrop(Watched watched, Instant droppedAt, List<String> reasons) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  WatchedDevices(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Records the feature's setting on the device before the wave changes it (null: not set). */
  void previous(UUID rolloutId, UUID deviceId, FeatureSetting setting) {
    jdbc.sql(
            "update rollout_device set previous_captured = true, previous_version = ?,"
                + " previous_params = ?::jsonb where rollout_id = ? and device_id = ?")
        .params(
            setting == null ? null : setting.version(),
            setting == null ? null : json.writeValueAsString(setting.params()),
            rolloutId,
            deviceId)
        .update();
  }

  /**
   * The device's APPLIED, watched rows in the tenant's running or paused rollouts, locked: a
   * redelivered health change waits for the first one and then finds the device rolling back.
   */
  List<Watched> locked(String tenant, UUID deviceId) {
    return jdbc.sql(
            """
            select d.rollout_id, d.changed_at, d.watch_until, d.previous_version,
              d.previous_params::text as previous_params
            from rollout_device d join rollout r on r.id = d.rollout_id
            where r.tenant_id = ? and d.device_id = ? and d.status = 'APPLIED'
              and d.watch_until is not null and d.previous_captured
              and r.status in ('RUNNING', 'PAUSED')
            order by d.rollout_id
            for update of d
            """)
        .params(tenant, deviceId)
        .query(this::watched)
        .list();
  }

  /**
   * Remembers a CRITICAL health at {@code droppedAt} for the device's rows still waiting in the
   * tenant's watching rollouts that changed it before the drop (the first drop is kept); see {@link
   * #pendingDrop}.
   */
  void dropWhileWaiting(String tenant, UUID deviceId, Instant droppedAt, List<String> reasons) {
    jdbc.sql(
            """
            update rollout_device d set pending_drop_at = ?, pending_drop_reasons = ?::jsonb
            from rollout r
            where r.id = d.rollout_id and r.tenant_id = ? and d.device_id = ?
              and d.status = 'WAITING' and r.status in ('RUNNING', 'PAUSED')
              and r.watch_window_ms > 0 and d.changed_at <= ? and d.pending_drop_at is null
            """)
        .params(
            Timestamp.from(droppedAt),
            json.writeValueAsString(reasons == null ? List.of() : reasons),
            tenant,
            deviceId,
            Timestamp.from(droppedAt))
        .update();
  }

  /** The device recovered (any level but CRITICAL): a remembered drop no longer counts. */
  void recoveredWhileWaiting(String tenant, UUID deviceId) {
    jdbc.sql(
            """
            update rollout_device d set pending_drop_at = null, pending_drop_reasons = null
            from rollout r
            where r.id = d.rollout_id and r.tenant_id = ? and d.device_id = ?
              and d.status = 'WAITING' and d.pending_drop_at is not null
            """)
        .params(tenant, deviceId)
        .update();
  }

  /** The drop remembered for a device that has just counted APPLIED and is watched, if any. */
  Optional<PendingDrop> pendingDrop(UUID rolloutId, UUID deviceId) {
    return jdbc.sql(
            """
            select d.rollout_id, d.changed_at, d.watch_until, d.previous_version,
              d.previous_params::text as previous_params, d.pending_drop_at,
              d.pending_drop_reasons::text as pending_drop_reasons
            from rollout_device d join rollout r on r.id = d.rollout_id
            where d.rollout_id = ? and d.device_id = ? and d.status = 'APPLIED'
              and d.watch_until is not null and d.previous_captured
              and d.pending_drop_at is not null and r.status in ('RUNNING', 'PAUSED')
            """)
        .params(rolloutId, deviceId)
        .query(
            (rs, n) ->
                new PendingDrop(
                    watched(rs, n),
                    rs.getTimestamp("pending_drop_at").toInstant(),
                    json.readValue(
                        rs.getString("pending_drop_reasons"),
                        new TypeReference<List<String>>() {})))
        .optional();
  }

  private Watched watched(ResultSet rs, int n) throws SQLException {
    int version = rs.getInt("previous_version");
    FeatureSetting previous =
        rs.wasNull()
            ? null
            : new FeatureSetting(
                version,
                json.readValue(
                    rs.getString("previous_params"), new TypeReference<Map<String, Object>>() {}));
    Timestamp changed = rs.getTimestamp("changed_at");
    return new Watched(
        rs.getObject("rollout_id", UUID.class),
        new HealthWatch(
            changed == null ? null : changed.toInstant(),
            rs.getTimestamp("watch_until").toInstant()),
        previous);
  }

  /**
   * Records the rollback of a device whose health dropped at {@code droppedAt}: ROLLING_BACK,
   * waiting for the version of its set's {@code revision}, as a wave's change waits; ROLLED_BACK at
   * once when the rollback changed nothing ({@code revision} null: the setting was back already).
   */
  void rollingBack(
      UUID rolloutId,
      UUID deviceId,
      Instant droppedAt,
      List<String> reasons,
      Instant now,
      Long revision) {
    boolean waits = revision != null;
    jdbc.sql(
            """
            update rollout_device set status = ?, health_dropped_at = ?, health_reasons = ?::jsonb,
              rollback_started_at = ?, rolled_back_at = ?, finished_at = ?,
              features_revision = coalesce(?, features_revision), produced_version = null,
              produced_sha256 = null, early_version = null, early_sha256 = null,
              early_status = null, early_error = null
            where rollout_id = ? and device_id = ? and status = 'APPLIED'
            """)
        .params(
            waits ? "ROLLING_BACK" : "ROLLED_BACK",
            Timestamp.from(droppedAt),
            json.writeValueAsString(reasons == null ? List.of() : reasons),
            Timestamp.from(now),
            waits ? null : Timestamp.from(now),
            Timestamp.from(now),
            revision,
            rolloutId,
            deviceId)
        .update();
  }

  /** A rollback that could not be made (e.g. the device was decommissioned meanwhile). */
  void rollbackRefused(
      UUID rolloutId,
      UUID deviceId,
      Instant droppedAt,
      List<String> reasons,
      Instant now,
      String error) {
    jdbc.sql(
            """
            update rollout_device set status = 'FAILED', error = ?, health_dropped_at = ?,
              health_reasons = ?::jsonb, rollback_started_at = ?, finished_at = ?
            where rollout_id = ? and device_id = ? and status = 'APPLIED'
            """)
        .params(
            "rollback failed: " + error,
            Timestamp.from(droppedAt),
            json.writeValueAsString(reasons == null ? List.of() : reasons),
            Timestamp.from(now),
            Timestamp.from(now),
            rolloutId,
            deviceId)
        .update();
  }

  /** The rollout's devices a health drop rolled back (or tried to), in device order. */
  List<UUID> rolledBack(UUID rolloutId) {
    return jdbc.sql(
            "select device_id from rollout_device where rollout_id = ?"
                + " and health_dropped_at is not null order by device_id")
        .param(rolloutId)
        .query(UUID.class)
        .list();
  }
}
