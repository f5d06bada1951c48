package dev.ems.sc.variables;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Tenant default variables (table {@code tenant_variables}). */
@Repository
public class TenantVariables {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  TenantVariables(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  public Map<String, Object> get(String tenant) {
    return jdbc.sql("select variables::text from tenant_variables where tenant_id = ?")
        .param(tenant)
        .query(String.class)
        .optional()
        .map(text -> json.readValue(text, new TypeReference<Map<String, Object>>() {}))
        .orElse(Map.of());
  }

  void put(String tenant, Map<String, Object> variables) {
    jdbc.sql(
            """
            insert into tenant_variables (tenant_id, variables, updated_at) values (?, ?::jsonb, ?)
            on conflict (tenant_id) do update set variables = excluded.variables,
              updated_at = excluded.updated_at
            """)
        .params(tenant, json.writeValueAsString(variables), Timestamp.from(Instant.now()))
        .update();
  }
}
