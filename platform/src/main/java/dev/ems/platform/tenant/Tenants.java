package dev.ems.platform.tenant;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This service's copy of the tenants (table {@code tenant}), fed by {@link TenantChangedListener}.
 * Whether a tenant is active is answered from memory, never with a query on the request path (it
 * runs on device-api's event loop): the set of suspended tenants is read from the table at start,
 * every {@link #REFRESH} after (so every replica of a service follows the shared table, whichever
 * replica consumed the event) and at once after a change here. While the database is away the last
 * set stays. A tenant unknown here counts as active: tenants that predate tenant objects have no
 * row.
 */
public class Tenants {

  public enum Status {
    ACTIVE,
    SUSPENDED
  }

  /** A tenant as operators see it. */
  public record Tenant(
      String id, String name, Status status, Instant createdAt, Instant changedAt) {}

  static final Duration REFRESH = Duration.ofSeconds(2);

  private final JdbcClient jdbc;
  private volatile Set<String> suspended = Set.of();

  public Tenants(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean isActive(String tenant) {
    return !suspended.contains(tenant);
  }

  /**
   * Reads the suspended tenants again; keeps the last set when the database is away. One refresh at
   * a time, so a read that began later is also stored later: the periodic refresh, on its own
   * connection, may read the table while a change is being committed, and its older view must not
   * overwrite the one read after the commit ({@link #refreshAfterCommit}).
   */
  synchronized void refresh() {
    try {
      suspended =
          Set.copyOf(
              jdbc.sql("select id from tenant where status = 'SUSPENDED'")
                  .query(String.class)
                  .list());
    } catch (DataAccessException e) {
      // the last known set stays until the database answers again
    }
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
    refreshAfterCommit();
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
    refreshAfterCommit();
    return added;
  }

  /**
   * Refreshes now (inside a transaction that sees its own write) and again once the surrounding
   * transaction, if any, has ended: then every connection sees the change, or its rollback.
   */
  private void refreshAfterCommit() {
    refresh();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              refresh();
            }
          });
    }
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
