package dev.ems.sc.generation;

import dev.ems.common.event.ConfigFile;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stored configuration versions of devices (table {@code config_version}). */
@Repository
class ConfigVersions {

  record ConfigVersion(
      UUID deviceId, int version, String sha256, List<ConfigFile> files, Instant createdAt) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ConfigVersions(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<ConfigVersion> latest(UUID deviceId) {
    return jdbc.sql(
            "select device_id, version, sha256, files::text as files, created_at from"
                + " config_version where device_id = ? order by version desc limit 1")
        .param(deviceId)
        .query(
            (rs, n) ->
                new ConfigVersion(
                    rs.getObject("device_id", UUID.class),
                    rs.getInt("version"),
                    rs.getString("sha256"),
                    json.readValue(rs.getString("files"), new TypeReference<List<ConfigFile>>() {}),
                    rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  void insert(
      String tenant,
      UUID deviceId,
      int version,
      String sha256,
      List<ConfigFile> files,
      UUID requestId) {
    jdbc.sql(
            "insert into config_version (device_id, version, tenant_id, sha256, files, request_id,"
                + " created_at) values (?, ?, ?, ?, ?::jsonb, ?, ?)")
        .params(
            deviceId,
            version,
            tenant,
            sha256,
            json.writeValueAsString(files),
            requestId,
            Timestamp.from(Instant.now()))
        .update();
  }
}
