package dev.ems.platform.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This service's copy of the tenants (table {@code tenant}), fed by {@link TenantChangedListener}.
 * Whether a tenant is active is cached for a few seconds (Caffeine, bounded), so a suspension takes
 * effect everywhere within seconds without a query per request. A tenant unknown here counts as
 * active: tenants that predate tenant objects have no row.
 */
public class Tenants {

  public enum Status {
    ACTIVE,
    SUSPENDED
  }

  /** A tenant as operators see it. */
  public record Tenant(
      String id, String name, Status status, Instant createdAt, Instant changedAt) {}

  private static final Duration CACHE_TTL = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final Cache<String, Boolean> active =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(CACHE_TTL).build();

  public Tenants(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean isActive(String tenant) {
    return active.get(tenant, this::load);
  }

  private boolean load(String tenant) {
    return jdbc.sql("select status from tenant where id = ?")
        .param(tenant)
        .query(String.class)
        .optional()
        .map(Status.ACTIVE.name()::equals)
        .orElse(true);
  }

  /** Stores a tenant's state (idempotent: replication may deliver it more than once). */
  public void upsert(Tenant tenant) {
    jdbc.sql(
            """
            insert into tenant (id, name, status, created_at, changed_at) values (?, ?, ?, ?, ?)
            on conflict (id) do update set name = excluded.name, status = excluded.status,
              changed_at = excluded.changed_at
            where tenant.changed_at <= excluded.changed_at
            """)
        .params(
            tenant.id(),
            tenant.name(),
            tenant.status().name(),
            Timestamp.from(tenant.createdAt()),
            Timestamp.from(tenant.changedAt()))
        .update();
    active.invalidate(tenant.id());
  }

  /** Adds a tenant unless one with that id exists; true when it was added. */
  public boolean insertIfAbsent(Tenant tenant) {
    boolean added =
        jdbc.sql(
                    """
                    insert into tenant (id, name, status, created_at, changed_at)
                    values (?, ?, ?, ?, ?) on conflict (id) do nothing
                    """)
                .params(
                    tenant.id(),
                    tenant.name(),
                    tenant.status().name(),
                    Timestamp.from(tenant.createdAt()),
                    Timestamp.from(tenant.changedAt()))
                .update()
            == 1;
    active.invalidate(tenant.id());
    return added;
  }

  public java.util.Optional<Tenant> find(String id) {
    return jdbc.sql("select id, name, status, created_at, changed_at from tenant where id = ?")
        .param(id)
        .query(Tenants::map)
        .optional();
  }

  public List<Tenant> list() {
    return jdbc.sql("select id, name, status, created_at, changed_at from tenant order by id")
        .query(Tenants::map)
        .list();
  }

  private static Tenant map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Tenant(
        rs.getString("id"),
        rs.getString("name"),
        Status.valueOf(rs.getString("status")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("changed_at").toInstant());
  }
}
