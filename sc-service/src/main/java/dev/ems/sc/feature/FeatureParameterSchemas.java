package dev.ems.sc.feature;

import dev.ems.common.event.FeatureDefinitionChanged;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parameter schema of each feature version tw-service publishes (table {@code
 * feature_parameter_schema}), so that a change set's feature parameters are checked when it is
 * staged, not only when tw-service applies them after approval. Same ordering rules as {@link
 * FeatureDefinitions}.
 */
@Repository
public class FeatureParameterSchemas {

  /**
   * The newest version of a feature a tenant's devices would get: its parameter schema and the
   * features it needs and excludes.
   */
  public record Current(
      String key,
      int version,
      Map<String, Object> parametersSchema,
      List<String> dependsOn,
      List<String> conflictsWith) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  FeatureParameterSchemas(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The tenant's own feature, else the built-in one (tenant {@code *}); empty when unknown. */
  public Optional<Current> current(String tenant, String key) {
    return jdbc.sql(
            "select version, parameters_schema::text, depends_on::text, conflicts_with::text"
                + " from feature_parameter_schema"
                + " where key = ? and tenant_id in (?, '*') and not deleted"
                + " order by (tenant_id = '*'), version desc limit 1")
        .params(key, tenant)
        .query(
            (rs, n) ->
                new Current(
                    key,
                    rs.getInt(1),
                    rs.getString(2) == null
                        ? null
                        : json.readValue(
                            rs.getString(2), new TypeReference<Map<String, Object>>() {}),
                    keys(rs.getString(3)),
                    keys(rs.getString(4))))
        .optional();
  }

  private List<String> keys(String text) {
    return text == null ? List.of() : json.readValue(text, new TypeReference<List<String>>() {});
  }

  void store(String tenant, FeatureDefinitionChanged event) {
    Timestamp at = Timestamp.from(event.changedAt());
    if (event.deleted()) {
      jdbc.sql(
              "update feature_parameter_schema set deleted = true, changed_at = ?"
                  + " where tenant_id = ? and key = ? and changed_at <= ? and not deleted")
          .params(at, tenant, event.key(), at)
          .update();
      return;
    }
    jdbc.sql(
            """
            insert into feature_parameter_schema
              (tenant_id, key, version, parameters_schema, depends_on, conflicts_with, deleted,
               changed_at)
            values (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, false, ?)
            on conflict (tenant_id, key, version) do update
              set parameters_schema = excluded.parameters_schema,
              depends_on = excluded.depends_on, conflicts_with = excluded.conflicts_with,
              deleted = false,
              changed_at = excluded.changed_at
            where feature_parameter_schema.changed_at < excluded.changed_at
            """)
        .params(
            tenant,
            event.key(),
            event.version(),
            event.parametersSchema() == null
                ? null
                : json.writeValueAsString(event.parametersSchema()),
            json.writeValueAsString(event.dependsOn() == null ? List.of() : event.dependsOn()),
            json.writeValueAsString(
                event.conflictsWith() == null ? List.of() : event.conflictsWith()),
            at)
        .update();
  }
}
