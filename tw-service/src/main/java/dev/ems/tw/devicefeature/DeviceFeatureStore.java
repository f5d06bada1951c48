package dev.ems.tw.devicefeature;

import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Each device's feature set (table {@code device_feature}). */
@Repository
class DeviceFeatureStore {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  DeviceFeatureStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Feature key → setting, in key order. */
  Map<String, FeatureSetting> of(UUID deviceId) {
    Map<String, FeatureSetting> settings = new LinkedHashMap<>();
    jdbc.sql(
            "select feature_key, feature_version, params::text as params from device_feature"
                + " where device_id = ? order by feature_key")
        .param(deviceId)
        .query(
            rs -> {
              settings.put(
                  rs.getString("feature_key"),
                  new FeatureSetting(
                      rs.getInt("feature_version"),
                      json.readValue(
                          rs.getString("params"), new TypeReference<Map<String, Object>>() {})));
            });
    return settings;
  }

  void put(String tenant, UUID deviceId, String key, FeatureSetting setting, Instant at) {
    jdbc.sql(
            """
            insert into device_feature (device_id, tenant_id, feature_key, feature_version,
              params, updated_at) values (?, ?, ?, ?, ?::jsonb, ?)
            on conflict (device_id, feature_key) do update set
              feature_version = excluded.feature_version, params = excluded.params,
              updated_at = excluded.updated_at
            """)
        .params(
            deviceId,
            tenant,
            key,
            setting.version(),
            json.writeValueAsString(setting.params()),
            Timestamp.from(at))
        .update();
  }

  void remove(UUID deviceId, String key) {
    jdbc.sql("delete from device_feature where device_id = ? and feature_key = ?")
        .params(deviceId, key)
        .update();
  }
}
