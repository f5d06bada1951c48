package dev.ems.platform.audit;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.AuditRecorded;
import dev.ems.platform.outbox.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains committed audit records into their tenant's hash chain and publishes each on the service's
 * audit topic (through the outbox, in the same transaction). A batch of one tenant's unchained
 * records (in entry order) gets consecutive sequence numbers, each record the previous one's hash,
 * under the tenant's {@code audit_chain_head} row lock; only the sequencer takes that lock, so
 * writes never wait for each other, and replicas of a service chain one after the other.
 *
 * <p>It runs every {@code ems.audit.chain-interval} (200 ms by default) on a thread of its own, and
 * for the tenant before {@link AuditLog} lists or verifies its chain, so a reader sees every record
 * committed before the read chained. A record is unchained (and could be edited unnoticed) between
 * its commit and its chaining, normally less than the interval.
 */
public class AuditSequencer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditSequencer.class);

  /** Records chained in one transaction. */
  static final int BATCH = 500;

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final String service;
  private final String topic;
  private final ScheduledExecutorService scheduler;

  AuditSequencer(
      JdbcClient jdbc,
      Outbox outbox,
      TransactionTemplate tx,
      String service,
      String topic,
      Duration interval) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.tx = tx;
    this.service = service;
    this.topic = topic;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("audit-sequencer").daemon(true).factory());
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::chainQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void chainQuietly() {
    try {
      chainAll();
    } catch (DataAccessException e) {
      // the database is away: the records wait, committed and unchained, for the next round
      log.debug("audit records not chained yet: {}", e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      log.warn("audit records not chained", e);
    }
  }

  /** Chains every tenant's unchained records. */
  public void chainAll() {
    jdbc.sql("select distinct tenant_id from audit_record where seq is null")
        .query(String.class)
        .list()
        .forEach(this::chain);
  }

  /** Chains the tenant's records committed so far; returns how many it chained. */
  public int chain(String tenant) {
    int total = 0;
    while (true) {
      Integer chained = tx.execute(s -> chainBatch(tenant));
      total += chained;
      if (chained < BATCH) {
        return total;
      }
    }
  }

  private int chainBatch(String tenant) {
    jdbc.sql(
            "insert into audit_chain_head (tenant_id, seq, hash) values (?, 0, ?)"
                + " on conflict (tenant_id) do nothing")
        .params(tenant, AuditChain.GENESIS)
        .update();
    var head =
        jdbc.sql("select seq, hash from audit_chain_head where tenant_id = ? for update")
            .param(tenant)
            .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)})
            .single();
    // read after the lock: a sequencer that held it before has committed its batch
    List<AuditRecord> unchained =
        jdbc.sql(
                "select "
                    + AuditLog.COLUMNS
                    + " from audit_record where tenant_id = ? and seq is null"
                    + " order by entry limit ?")
            .params(tenant, BATCH)
            .query(AuditLog::row)
            .list();
    if (unchained.isEmpty()) {
      return 0;
    }
    long seq = (long) head[0];
    String previous = (String) head[1];
    List<UUID> ids = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    List<String> previousHashes = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (AuditRecord r : unchained) {
      seq++;
      String hash = AuditChain.hash(r.chained(seq, previous, null));
      AuditRecord chained = r.chained(seq, previous, hash);
      ids.add(r.id());
      seqs.add(seq);
      previousHashes.add(previous);
      hashes.add(hash);
      outbox.append(
          topic, EventEnvelope.of("/" + service + "/audit", tenant, tenant, event(chained)));
      previous = hash;
    }
    jdbc.sql(
            "update audit_record a set seq = v.seq, previous_hash = v.previous_hash,"
                + " hash = v.hash from unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[])"
                + " as v(id, seq, previous_hash, hash) where a.id = v.id")
        .params(
            ids.toArray(UUID[]::new),
            seqs.toArray(Long[]::new),
            previousHashes.toArray(String[]::new),
            hashes.toArray(String[]::new))
        .update();
    jdbc.sql("update audit_chain_head set seq = ?, hash = ? where tenant_id = ?")
        .params(seq, previous, tenant)
        .update();
    return unchained.size();
  }

  private AuditRecorded event(AuditRecord r) {
    return new AuditRecorded(
        r.id(),
        service,
        r.seq(),
        r.occurredAt(),
        r.actorType(),
        r.actorId(),
        r.actorName(),
        r.action(),
        r.resource(),
        r.status(),
        r.requestId(),
        r.traceId(),
        r.requestDigest(),
        r.responseDigest(),
        r.previousHash(),
        r.hash());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
