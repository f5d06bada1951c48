package dev.ems.sc.generation;

import dev.ems.common.event.ConfigFile;
import dev.ems.sc.secrets.Secrets;
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
 * Stored configuration versions of devices (table {@code config_version}). {@code files} are what
 * operators are shown; when the device's bundle differs (it holds secrets) the device's files are
 * kept beside them sealed under {@code sc.secrets-key} ({@code device_files_sealed}). {@code
 * signature} is the device files' detached JWS (issue 14.7).
 */
@Repository
class ConfigVersions {

  record ConfigVersion(
      String tenant,
      UUID deviceId,
      int version,
      String sha256,
      List<ConfigFile> files,
      Map<String, Object> inputs,
      String requestedBy,
      UUID requestId,
      Integer rollbackOf,
      String applyStatus,
      String applyError,
      Instant appliedAt,
      Instant createdAt,
      String sealedDeviceFiles) {

    boolean secretsRedacted() {
      return sealedDeviceFiles != null;
    }
  }

  private static final String COLUMNS =
      "tenant_id, device_id, version, sha256, files::text as files, inputs::text as inputs,"
          + " requested_by, request_id, rollback_of, apply_status, apply_error, applied_at,"
          + " created_at, device_files_sealed";

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Secrets secrets;

  ConfigVersions(JdbcClient jdbc, JsonMapper json, Secrets secrets) {
    this.jdbc = jdbc;
    this.json = json;
    this.secrets = secrets;
  }

  /** The files the device fetches for the version, secrets in clear. */
  List<ConfigFile> deviceFiles(ConfigVersion v) {
    return v.sealedDeviceFiles() == null
        ? v.files()
        : json.readValue(
            secrets.openText(v.tenant(), v.sealedDeviceFiles()),
            new TypeReference<List<ConfigFile>>() {});
  }

  /** A version's number, hash and signature, without its files. */
  record Head(int version, String sha256, String signature) {}

  /** The device's current version number and hash; no files are read or parsed. */
  Optional<Head> latestHead(UUID deviceId) {
    return jdbc.sql(
            "select version, sha256, signature from config_version where device_id = ?"
                + " order by version desc limit 1")
        .param(deviceId)
        .query((rs, n) -> new Head(rs.getInt(1), rs.getString(2), rs.getString(3)))
        .optional();
  }

  Optional<ConfigVersion> latest(UUID deviceId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from config_version where device_id = ? order by version desc"
                + " limit 1")
        .param(deviceId)
        .query((rs, n) -> map(rs))
        .optional();
  }

  Optional<ConfigVersion> find(UUID deviceId, int version) {
    return jdbc.sql(
            "select " + COLUMNS + " from config_version where device_id = ? and version = ?")
        .params(deviceId, version)
        .query((rs, n) -> map(rs))
        .optional();
  }

  List<ConfigVersion> list(UUID deviceId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from config_version where device_id = ? order by version desc limit 200")
        .param(deviceId)
        .query((rs, n) -> map(rs))
        .list();
  }

  void insert(
      String tenant,
      UUID deviceId,
      int version,
      String sha256,
      List<ConfigFile> files,
      List<ConfigFile> shownFiles,
      Map<String, Object> inputs,
      String requestedBy,
      UUID requestId,
      Integer rollbackOf,
      String signature) {
    String sealed =
        files.equals(shownFiles) ? null : secrets.sealText(tenant, json.writeValueAsString(files));
    jdbc.sql(
            "insert into config_version (device_id, version, tenant_id, sha256, files, inputs,"
                + " requested_by, request_id, rollback_of, created_at, device_files_sealed,"
                + " signature) values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)")
        .params(
            deviceId,
            version,
            tenant,
            sha256,
            json.writeValueAsString(shownFiles),
            inputs == null ? null : json.writeValueAsString(inputs),
            requestedBy,
            requestId,
            rollbackOf,
            Timestamp.from(Instant.now()),
            sealed,
            signature)
        .update();
    setDeviceConfigStatus(deviceId, "PENDING");
  }

  /** Records a device's report for a version; true when it changed anything. */
  boolean recordApply(UUID deviceId, int version, String status, String error, Instant at) {
    return jdbc.sql(
                "update config_version set apply_status = ?, apply_error = ?, applied_at = ?"
                    + " where device_id = ? and version = ?"
                    + " and (apply_status <> ? or applied_at is null or applied_at < ?)")
            .params(
                status, error, Timestamp.from(at), deviceId, version, status, Timestamp.from(at))
            .update()
        == 1;
  }

  void setDeviceConfigStatus(UUID deviceId, String status) {
    jdbc.sql("update device set config_status = ? where id = ?").params(status, deviceId).update();
  }

  private ConfigVersion map(ResultSet rs) throws SQLException {
    String inputs = rs.getString("inputs");
    Timestamp applied = rs.getTimestamp("applied_at");
    return new ConfigVersion(
        rs.getString("tenant_id"),
        rs.getObject("device_id", UUID.class),
        rs.getInt("version"),
        rs.getString("sha256"),
        json.readValue(rs.getString("files"), new TypeReference<List<ConfigFile>>() {}),
        inputs == null
            ? Map.of()
            : json.readValue(inputs, new TypeReference<Map<String, Object>>() {}),
        rs.getString("requested_by"),
        rs.getObject("request_id", UUID.class),
        (Integer) rs.getObject("rollback_of"),
        rs.getString("apply_status"),
        rs.getString("apply_error"),
        applied == null ? null : applied.toInstant(),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("device_files_sealed"));
  }
}
