package dev.ems.platform.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records audit entries: a write's record is inserted unchained, in the caller's transaction when
 * there is one (so a record exists exactly when the change it describes was committed), otherwise
 * in its own. {@link AuditSequencer} chains it after the commit and publishes it on the service's
 * audit topic through the outbox.
 *
 * <p>Concurrency: a write takes no lock. Until issue 20's measurement each write locked its
 * tenant's chain head from reading the previous hash to its commit, so one tenant's writes went one
 * at a time (ConfigPipelineBenchmark: p99 28.8 s without the audit, 38.6 s with it).
 */
public class AuditTrail {

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;

  AuditTrail(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  public void record(AuditEntry e) {
    tx.executeWithoutResult(status -> insert(e));
  }

  private void insert(AuditEntry e) {
    jdbc.sql(
            "insert into audit_record (id, tenant_id, occurred_at, actor_type, actor_id,"
                + " actor_name, action, resource, status, request_id, trace_id, request_digest,"
                + " response_digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            UUID.randomUUID(),
            e.tenant(),
            Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS)),
            e.actor().type(),
            e.actor().id(),
            e.actor().name(),
            e.action(),
            e.resource(),
            e.status(),
            e.requestId(),
            e.traceId(),
            e.requestDigest(),
            e.responseDigest())
        .update();
  }
}
