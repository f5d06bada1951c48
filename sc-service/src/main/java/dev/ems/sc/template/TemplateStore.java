package dev.ems.sc.template;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Operator template sets (table {@code template_set}). */
@Repository
class TemplateStore {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  TemplateStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<TemplateSet> find(String tenant, String model) {
    return jdbc.sql(
            "select model, files::text, variables_schema::text, revision from template_set"
                + " where tenant_id = ? and model = ?")
        .params(tenant, model)
        .query(this::row)
        .optional();
  }

  List<TemplateSet> list(String tenant) {
    return jdbc.sql(
            "select model, files::text, variables_schema::text, revision from template_set"
                + " where tenant_id = ?"
                + " order by model")
        .param(tenant)
        .query(this::row)
        .list();
  }

  /** Stores the set as the next revision; returns it. */
  TemplateSet save(
      String tenant,
      String model,
      SortedMap<String, String> files,
      Map<String, Object> variablesSchema,
      String by) {
    int revision =
        jdbc.sql(
                """
                insert into template_set
                  (tenant_id, model, files, variables_schema, revision, updated_by, updated_at)
                values (?, ?, ?::jsonb, ?::jsonb, 1, ?, ?)
                on conflict (tenant_id, model) do update set files = excluded.files,
                  variables_schema = excluded.variables_schema,
                  revision = template_set.revision + 1, updated_by = excluded.updated_by,
                  updated_at = excluded.updated_at
                returning revision
                """)
            .params(
                tenant,
                model,
                json.writeValueAsString(files),
                variablesSchema == null ? null : json.writeValueAsString(variablesSchema),
                by,
                Timestamp.from(Instant.now()))
            .query(Integer.class)
            .single();
    return new TemplateSet(model, files, variablesSchema, revision);
  }

  boolean delete(String tenant, String model) {
    return jdbc.sql("delete from template_set where tenant_id = ? and model = ?")
            .params(tenant, model)
            .update()
        == 1;
  }

  private TemplateSet row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    String schema = rs.getString(3);
    return new TemplateSet(
        rs.getString(1),
        files(rs.getString(2)),
        schema == null ? null : json.readValue(schema, new TypeReference<Map<String, Object>>() {}),
        rs.getInt(4));
  }

  private SortedMap<String, String> files(String text) {
    return new TreeMap<>(
        json.readValue(text, new TypeReference<java.util.Map<String, String>>() {}));
  }
}
