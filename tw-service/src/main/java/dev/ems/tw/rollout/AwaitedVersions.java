package dev.ems.tw.rollout;

import dev.ems.common.event.ConfigStatusReported;
import dev.ems.tw.rollout.model.ProducedVersion;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What rollouts wait for from each waiting device (columns of {@code rollout_device}): the revision
 * of its feature set the wave's change (or a rollback) made, the version produced for it and a
 * report that arrived before that version did; and the last version each device reported APPLIED
 * (table {@code device_applied_version}).
 */
@Repository
class AwaitedVersions {

  /**
   * A device waiting in a rollout: the revision of its feature set the wave's change made (null if
   * not recorded), the version produced for it (null while unknown) and the last report consumed
   * before that version was (null if none). {@code rollingBack}: it waits for the version of its
   * rollback (the revision is then the rollback's); {@code watchWindow} is the rollout's.
   */
  record Awaiting(
      UUID rolloutId,
      Long revision,
      ProducedVersion produced,
      ConfigStatusReported early,
      boolean rollingBack,
      Duration watchWindow) {}

  /** A version a device reported APPLIED. */
  record Applied(int version, String sha256) {}

  private final JdbcClient jdbc;

  AwaitedVersions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The devices waiting in the tenant's rollouts for {@code deviceId}, their rows locked so that a
   * published version and a report of the same device are handled one after the other.
   */
  List<Awaiting> waiting(String tenant, UUID deviceId) {
    return jdbc.sql(
            """
            select d.rollout_id, d.status, d.features_revision, d.produced_version, d.produced_sha256,
              d.early_version, d.early_sha256, d.early_status, d.early_error, r.watch_window_ms
            from rollout_device d join rollout r on r.id = d.rollout_id
            where r.tenant_id = ? and d.device_id = ? and d.status in ('WAITING', 'ROLLING_BACK')
            order by d.rollout_id
            for update of d
            """)
        .params(tenant, deviceId)
        .query(
            (rs, n) -> {
              long revision = rs.getLong("features_revision");
              Long changed = rs.wasNull() ? null : revision;
              int produced = rs.getInt("produced_version");
              ProducedVersion version =
                  rs.wasNull()
                      ? null
                      : new ProducedVersion(produced, rs.getString("produced_sha256"));
              int early = rs.getInt("early_version");
              ConfigStatusReported report =
                  rs.wasNull()
                      ? null
                      : new ConfigStatusReported(
                          deviceId,
                          early,
                          rs.getString("early_sha256"),
                          rs.getString("early_status"),
                          rs.getString("early_error"),
                          null);
              return new Awaiting(
                  rs.getObject("rollout_id", UUID.class),
                  changed,
                  version,
                  report,
                  "ROLLING_BACK".equals(rs.getString("status")),
                  Duration.ofMillis(rs.getLong("watch_window_ms")));
            })
        .list();
  }

  /** Records the revision of the device's feature set its wave's change made. */
  void changed(UUID rolloutId, UUID deviceId, long revision) {
    jdbc.sql(
            "update rollout_device set features_revision = ? where rollout_id = ? and device_id = ?")
        .params(revision, rolloutId, deviceId)
        .update();
  }

  void produced(UUID rolloutId, UUID deviceId, ProducedVersion version) {
    jdbc.sql(
            "update rollout_device set produced_version = ?, produced_sha256 = ?"
                + " where rollout_id = ? and device_id = ?")
        .params(version.version(), version.sha256(), rolloutId, deviceId)
        .update();
  }

  /**
   * Keeps a report consumed before the version it waits for; a redelivered older report does not
   * replace a newer one.
   */
  void early(UUID rolloutId, UUID deviceId, ConfigStatusReported report) {
    jdbc.sql(
            "update rollout_device set early_version = ?, early_sha256 = ?, early_status = ?,"
                + " early_error = ? where rollout_id = ? and device_id = ?"
                + " and (early_version is null or early_version <= ?)")
        .params(
            report.version(),
            report.sha256(),
            report.status(),
            report.error(),
            rolloutId,
            deviceId,
            report.version())
        .update();
  }

  /**
   * Finishes a waiting device; the time is tw-service's, never the device's. An APPLIED device is
   * watched until {@code watchUntil} (null: not watched).
   */
  void finish(
      UUID rolloutId,
      UUID deviceId,
      boolean applied,
      String error,
      Instant at,
      Instant watchUntil) {
    jdbc.sql(
            "update rollout_device set status = ?, error = ?, finished_at = ?, applied_at = ?,"
                + " watch_until = ? where rollout_id = ? and device_id = ? and status = 'WAITING'")
        .params(
            applied ? "APPLIED" : "FAILED",
            applied ? null : error,
            Timestamp.from(at),
            applied ? Timestamp.from(at) : null,
            applied && watchUntil != null ? Timestamp.from(watchUntil) : null,
            rolloutId,
            deviceId)
        .update();
  }

  /**
   * Finishes a device rolling back: ROLLED_BACK once it applied its rollback's version; FAILED when
   * it reported that version failed (it may then run neither configuration).
   */
  void finishRollback(UUID rolloutId, UUID deviceId, boolean applied, String error, Instant at) {
    jdbc.sql(
            "update rollout_device set status = ?, error = ?, finished_at = ?, rolled_back_at = ?"
                + " where rollout_id = ? and device_id = ? and status = 'ROLLING_BACK'")
        .params(
            applied ? "ROLLED_BACK" : "FAILED",
            applied ? null : "rollback failed: " + error,
            Timestamp.from(at),
            applied ? Timestamp.from(at) : null,
            rolloutId,
            deviceId)
        .update();
  }

  /**
   * Records the version the device reported APPLIED as its last applied one; a redelivered report
   * of an older version does not move it back (versions only grow, a rollback is a new one).
   */
  void applied(String tenant, ConfigStatusReported report, Instant at) {
    jdbc.sql(
            """
            insert into device_applied_version (device_id, tenant_id, version, sha256, recorded_at)
            values (?, ?, ?, ?, ?)
            on conflict (device_id) do update set tenant_id = excluded.tenant_id,
              version = excluded.version, sha256 = excluded.sha256,
              recorded_at = excluded.recorded_at
            where device_applied_version.version <= excluded.version
              or device_applied_version.tenant_id <> excluded.tenant_id
            """)
        .params(report.deviceId(), tenant, report.version(), report.sha256(), Timestamp.from(at))
        .update();
  }

  /** The last version the device reported APPLIED, if any was consumed. */
  Optional<Applied> lastApplied(String tenant, UUID deviceId) {
    return jdbc.sql(
            "select version, sha256 from device_applied_version where tenant_id = ?"
                + " and device_id = ?")
        .params(tenant, deviceId)
        .query((rs, n) -> new Applied(rs.getInt("version"), rs.getString("sha256")))
        .optional();
  }
}
