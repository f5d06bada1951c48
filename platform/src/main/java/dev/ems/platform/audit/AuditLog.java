package dev.ems.platform.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads a tenant's audit records and checks its chain. */
public class AuditLog {

  private static final int BATCH = 1000;
  static final String COLUMNS =
      "id, tenant_id, seq, occurred_at, actor_type, actor_id, actor_name, action, resource,"
          + " status, request_id, trace_id, request_digest, response_digest, previous_hash, hash";

  private final JdbcClient jdbc;
  private final AuditSequencer sequencer;

  AuditLog(JdbcClient jdbc, AuditSequencer sequencer) {
    this.jdbc = jdbc;
    this.sequencer = sequencer;
  }

  /**
   * Filters: actor (key id, subject, device or key/user name), resource and action (prefixes), the
   * time range (from inclusive, to exclusive); in chain order after seq {@code after}.
   */
  public record Query(
      String actor,
      String resource,
      String action,
      Instant from,
      Instant to,
      long after,
      int limit) {}

  @Schema(name = "AuditPage")
  public record Page(List<AuditRecord> items, Long next) {}

  /** The tenant's chained records; every record committed before the call is chained first. */
  public Page list(String tenant, Query q) {
    sequencer.chain(tenant);
    var sql = new StringBuilder("select " + COLUMNS + " from audit_record where tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenant));
    sql.append(" and seq > ?");
    params.add(q.after());
    if (q.actor() != null) {
      sql.append(" and (actor_id = ? or actor_name = ?)");
      params.add(q.actor());
      params.add(q.actor());
    }
    if (q.resource() != null) {
      sql.append(" and starts_with(resource, ?)");
      params.add(q.resource());
    }
    if (q.action() != null) {
      sql.append(" and starts_with(action, ?)");
      params.add(q.action());
    }
    if (q.from() != null) {
      sql.append(" and occurred_at >= ?");
      params.add(Timestamp.from(q.from()));
    }
    if (q.to() != null) {
      sql.append(" and occurred_at < ?");
      params.add(Timestamp.from(q.to()));
    }
    sql.append(" order by seq limit ?");
    params.add(q.limit() + 1);
    List<AuditRecord> rows = jdbc.sql(sql.toString()).params(params).query(AuditLog::row).list();
    if (rows.size() <= q.limit()) {
      return new Page(rows, null);
    }
    List<AuditRecord> page = rows.subList(0, q.limit());
    return new Page(List.copyOf(page), page.getLast().seq());
  }

  /** The outcome of recomputing a tenant's chain; {@code firstBroken} is null when it holds. */
  @Schema(name = "AuditVerification")
  public record Verification(String tenant, long records, boolean valid, BrokenLink firstBroken) {}

  /** The first record that does not follow from its predecessor, and why. */
  public record BrokenLink(long seq, UUID id, String reason) {}

  /**
   * Recomputes the tenant's chain, after chaining every record committed before the call, up to the
   * chain head as read first (records the sequencer chains meanwhile are the next call's).
   */
  public Verification verify(String tenant) {
    sequencer.chain(tenant);
    var head =
        jdbc.sql("select seq, hash from audit_chain_head where tenant_id = ?")
            .param(tenant)
            .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)})
            .optional();
    long headSeq = head.map(h -> (long) h[0]).orElse(0L);
    long expected = 1;
    String previous = AuditChain.GENESIS;
    long count = 0;
    while (expected <= headSeq) {
      List<AuditRecord> batch =
          jdbc.sql(
                  "select "
                      + COLUMNS
                      + " from audit_record where tenant_id = ? and seq >= ? and seq <= ?"
                      + " order by seq limit ?")
              .params(tenant, expected, headSeq, BATCH)
              .query(AuditLog::row)
              .list();
      for (AuditRecord r : batch) {
        count++;
        String reason = check(r, expected, previous);
        if (reason != null) {
          return new Verification(tenant, count, false, new BrokenLink(expected, r.id(), reason));
        }
        previous = r.hash();
        expected++;
      }
      if (batch.size() < BATCH) {
        break;
      }
    }
    long last = expected - 1;
    if (last != headSeq) {
      long missing = last + 1;
      return new Verification(
          tenant,
          count,
          false,
          new BrokenLink(
              missing, null, "record " + missing + " is missing (the chain ends early)"));
    }
    if (head.isPresent() && !head.get()[1].equals(previous)) {
      return new Verification(
          tenant,
          count,
          false,
          new BrokenLink(last, null, "the last record's hash is not the chain head's"));
    }
    return new Verification(tenant, count, true, null);
  }

  private static String check(AuditRecord r, long expected, String previous) {
    if (r.seq() != expected) {
      return "record " + expected + " is missing";
    }
    if (!r.previousHash().equals(previous)) {
      return "its previous hash is not the hash of record " + (expected - 1);
    }
    if (!AuditChain.hash(r).equals(r.hash())) {
      return "its fields do not match its hash (the record was changed)";
    }
    return null;
  }

  static AuditRecord row(ResultSet rs, int n) throws SQLException {
    Integer status = rs.getObject("status", Integer.class);
    return new AuditRecord(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getLong("seq"),
        rs.getTimestamp("occurred_at").toInstant(),
        rs.getString("actor_type"),
        rs.getString("actor_id"),
        rs.getString("actor_name"),
        rs.getString("action"),
        rs.getString("resource"),
        status,
        rs.getString("request_id"),
        rs.getString("trace_id"),
        rs.getString("request_digest"),
        rs.getString("response_digest"),
        rs.getString("previous_hash"),
        rs.getString("hash"));
  }
}
