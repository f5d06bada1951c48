package dev.ems.sc.variables;

import dev.ems.common.event.DeviceFeaturesChanged;
import java.sql.Timestamp;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** SC's copy of each device's feature set from tw-service (table {@code device_features}). */
@Repository
public class DeviceFeatures {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  DeviceFeatures(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Feature key → setting (catalogue version and parameters), in key order. */
  public java.util.SortedMap<String, DeviceFeaturesChanged.FeatureSetting> settingsOf(
      UUID deviceId) {
    java.util.SortedMap<String, DeviceFeaturesChanged.FeatureSetting> settings =
        new java.util.TreeMap<>();
    jdbc.sql("select features::text from device_features where device_id = ?")
        .param(deviceId)
        .query(String.class)
        .optional()
        .ifPresent(
            text ->
                settings.putAll(
                    json.readValue(
                        text,
                        new TypeReference<
                            Map<String, DeviceFeaturesChanged.FeatureSetting>>() {})));
    return settings;
  }

  /** Stores the set if it is newer than the stored one; true when it changed. */
  public boolean storeIfNewer(String tenant, DeviceFeaturesChanged event) {
    return jdbc.sql(
                """
                insert into device_features (device_id, tenant_id, features, revision, updated_at)
                values (?, ?, ?::jsonb, ?, ?)
                on conflict (device_id) do update set features = excluded.features,
                  revision = excluded.revision, updated_at = excluded.updated_at
                where device_features.revision < excluded.revision
                """)
            .params(
                event.deviceId(),
                tenant,
                json.writeValueAsString(event.features()),
                event.revision(),
                Timestamp.from(event.changedAt()))
            .update()
        == 1;
  }
}
