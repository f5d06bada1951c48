package dev.ems.device.config;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The read model of published configurations (table {@code published_config}). */
@Repository
class PublishedConfigs {

  private final JdbcClient jdbc;

  PublishedConfigs(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores the version unless the same or a newer one is stored already; true when it was stored.
   * Redelivered or out-of-date events thus change nothing.
   */
  boolean storeIfNewer(PublishedConfig config, Instant publishedAt) {
    return jdbc.sql(
                """
                insert into published_config (device_id, tenant_id, version, sha256, body,
                  published_at, signature)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (device_id) do update set version = excluded.version,
                  sha256 = excluded.sha256, body = excluded.body,
                  published_at = excluded.published_at, signature = excluded.signature
                where published_config.version < excluded.version
                """)
            .params(
                config.deviceId(),
                config.tenant(),
                config.version(),
                config.sha256(),
                config.body(),
                Timestamp.from(publishedAt),
                config.signature())
            .update()
        == 1;
  }

  Optional<PublishedConfig> find(UUID deviceId) {
    return jdbc.sql(
            "select device_id, tenant_id, version, sha256, body, signature from published_config"
                + " where device_id = ?")
        .param(deviceId)
        .query(
            (rs, n) ->
                new PublishedConfig(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getString(4),
                    rs.getBytes(5),
                    rs.getString(6)))
        .optional();
  }
}
