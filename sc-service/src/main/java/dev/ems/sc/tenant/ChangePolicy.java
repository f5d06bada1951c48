package dev.ems.sc.tenant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Whether a tenant's change sets need a second person's approval (table {@code
 * tenant_change_policy}). Four eyes is the default: a tenant without a row requires approval.
 */
@Repository
public class ChangePolicy {

  private final JdbcClient jdbc;

  ChangePolicy(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean requiresApproval(String tenant) {
    return jdbc.sql("select require_approval from tenant_change_policy where tenant_id = ?")
        .param(tenant)
        .query(Boolean.class)
        .optional()
        .orElse(true);
  }

  void set(String tenant, boolean requireApproval) {
    jdbc.sql(
            """
            insert into tenant_change_policy (tenant_id, require_approval, updated_at)
            values (?, ?, now())
            on conflict (tenant_id) do update set require_approval = excluded.require_approval,
              updated_at = excluded.updated_at
            """)
        .params(tenant, requireApproval)
        .update();
  }
}
