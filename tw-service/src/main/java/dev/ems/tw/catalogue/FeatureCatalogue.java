package dev.ems.tw.catalogue;

import dev.ems.common.event.FeatureFragment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalogue as a tenant sees it (table {@code feature}): its own features, and the built-in
 * ones it has not redefined.
 */
@Repository
public class FeatureCatalogue {

  private static final String COLUMNS =
      "tenant_id, key, version, description, parameters_schema::text as schema,"
          + " templates::text as templates, depends_on, conflicts_with,"
          + " fragments::text as fragments";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  FeatureCatalogue(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  public Optional<Feature> find(String tenant, String key) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from feature where key = ? and tenant_id in (?, '*')"
                + " order by (tenant_id = '*') limit 1")
        .params(key, tenant)
        .query(this::map)
        .optional();
  }

  /** The tenant's own definition only (not a built-in it would shadow). */
  Optional<Feature> findOwn(String tenant, String key) {
    return jdbc.sql("select " + COLUMNS + " from feature where key = ? and tenant_id = ?")
        .params(key, tenant)
        .query(this::map)
        .optional();
  }

  public List<Feature> all(String tenant) {
    return jdbc.sql(
            "select distinct on (key) "
                + COLUMNS
                + " from feature where tenant_id in (?, '*')"
                + " order by key, (tenant_id = '*')")
        .param(tenant)
        .query(this::map)
        .list();
  }

  /** Inserts or replaces the feature; for built-ins only when the stored version is older. */
  boolean save(Feature f, Instant at) {
    return jdbc.sql(
                """
                insert into feature (tenant_id, key, version, description, parameters_schema,
                  templates, depends_on, conflicts_with, updated_at, fragments)
                values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb)
                on conflict (tenant_id, key) do update set version = excluded.version,
                  description = excluded.description,
                  parameters_schema = excluded.parameters_schema, templates = excluded.templates,
                  depends_on = excluded.depends_on, conflicts_with = excluded.conflicts_with,
                  updated_at = excluded.updated_at, fragments = excluded.fragments
                where feature.version < excluded.version
                """)
            .params(
                f.tenant(),
                f.key(),
                f.version(),
                f.description(),
                json.writeValueAsString(f.parametersSchema()),
                json.writeValueAsString(f.templates()),
                f.dependsOn().toArray(String[]::new),
                f.conflictsWith().toArray(String[]::new),
                Timestamp.from(at),
                json.writeValueAsString(f.fragments()))
            .update()
        == 1;
  }

  void delete(String tenant, String key) {
    jdbc.sql("delete from feature where tenant_id = ? and key = ?").params(tenant, key).update();
  }

  /** Serialises catalogue writes of one tenant and key (also when the row does not exist yet). */
  void lock(String tenant, String key) {
    jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtext(?))) l")
        .param("tw.feature/" + tenant + "/" + key)
        .query(Integer.class)
        .single();
  }

  long devicesUsing(String tenant, String key) {
    return jdbc.sql("select count(*) from device_feature where tenant_id = ? and feature_key = ?")
        .params(tenant, key)
        .query(Long.class)
        .single();
  }

  private Feature map(ResultSet rs, int row) throws SQLException {
    return new Feature(
        rs.getString("tenant_id"),
        rs.getString("key"),
        rs.getInt("version"),
        rs.getString("description"),
        json.readValue(rs.getString("schema"), new TypeReference<Map<String, Object>>() {}),
        json.readValue(rs.getString("templates"), new TypeReference<Map<String, String>>() {}),
        Arrays.asList((String[]) rs.getArray("depends_on").getArray()),
        Arrays.asList((String[]) rs.getArray("conflicts_with").getArray()),
        json.readValue(
            rs.getString("fragments"), new TypeReference<Map<String, List<FeatureFragment>>>() {}));
  }
}
