package dev.ems.sc.generation;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The consumer's state changes of a config request, one SQL statement each: the queue record is
 * processed at least once, so every change is conditional on the state it expects.
 */
@Repository
class ConfigRequestClaims {

  /**
   * What the consumer needs of a claimed request; {@code cause} is what its version will say made
   * it (see {@link #cause}).
   */
  record Claim(String tenant, UUID deviceId, String input, String requestedBy, String cause) {}

  private static final int MAX_REASON = 2000;

  private final JdbcClient jdbc;
  private final PipelineMetrics metrics;

  ConfigRequestClaims(JdbcClient jdbc, PipelineMetrics metrics) {
    this.jdbc = jdbc;
    this.metrics = metrics;
  }

  /**
   * Marks a queued (or half-processed, redelivered) request PROCESSING and returns it; empty when
   * it is unknown or already final.
   */
  @Transactional
  Optional<Claim> claim(UUID requestId) {
    // PROCESSING is for the operator's eyes only: if a crash loses it, the request is QUEUED again
    // and its record is redelivered, so this commit does not wait for the WAL flush
    jdbc.sql("set local synchronous_commit to off").update();
    return jdbc.sql(
            "update config_request set status = 'PROCESSING', updated_at = now()"
                + " where id = ? and status in ('QUEUED', 'PROCESSING')"
                + " returning tenant_id, device_id, variables::text, requested_by,"
                + " idempotency_key")
        .param(requestId)
        .query(
            (rs, n) ->
                new Claim(
                    rs.getString(1),
                    rs.getObject(2, UUID.class),
                    rs.getString(3),
                    rs.getString(4),
                    cause(requestId, rs.getString(4), rs.getString(5))))
        .optional();
  }

  /**
   * The cause of a request's version: the idempotency key {@code features-<revision>} of a request
   * tw-service's feature change queued (see {@link FeatureRegeneration}), so that a rollout knows
   * the version its change produced; {@code request:<id>} for any other request.
   */
  static String cause(UUID requestId, String requestedBy, String idempotencyKey) {
    if (FeatureRegeneration.REQUESTED_BY.equals(requestedBy)
        && idempotencyKey != null
        && idempotencyKey.startsWith(FeatureRegeneration.KEY_PREFIX)) {
      return idempotencyKey;
    }
    return "request:" + requestId;
  }

  /**
   * Locks the request for the rest of the transaction if it is still PROCESSING; false when another
   * delivery of the same record finished it meanwhile.
   */
  boolean lockProcessing(UUID requestId) {
    return jdbc.sql(
            "select 1 from config_request where id = ? and status = 'PROCESSING' for update")
        .param(requestId)
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  /** Completes the request with its version; its age is the pipeline's latency (published). */
  void complete(UUID requestId, int version) {
    jdbc.sql(
            "update config_request set status = 'COMPLETED', config_version = ?,"
                + " failure_reason = null, waiting_for = null, updated_at = now() where id = ?"
                + " returning extract(epoch from clock_timestamp() - created_at)")
        .params(version, requestId)
        .query(Double.class)
        .optional()
        .ifPresent(seconds -> metrics.published(Duration.ofNanos((long) (seconds * 1e9))));
  }

  /**
   * Puts a PROCESSING request back to QUEUED to wait for the feature definition it needs ({@link
   * WaitingRequests} queues it again); false, changing nothing, once it has waited {@code longest}
   * since its first wait.
   */
  boolean waitFor(UUID requestId, String definition, java.time.Duration longest) {
    return jdbc.sql(
                "update config_request set status = 'QUEUED', waiting_for = ?,"
                    + " waiting_since = coalesce(waiting_since, now()), updated_at = now()"
                    + " where id = ? and status = 'PROCESSING'"
                    + " and (waiting_since is null"
                    + " or waiting_since > now() - make_interval(secs => ?))")
            .params(definition, requestId, (double) longest.toMillis() / 1000)
            .update()
        == 1;
  }

  /** Ends a request that is still PROCESSING as FAILED with the reason. */
  void fail(UUID requestId, String reason) {
    fail(requestId, null, reason);
  }

  /** Ends a request that is still PROCESSING as FAILED with a stable code and the reason. */
  void fail(UUID requestId, String code, String reason) {
    // a reason may quote rendered text; PostgreSQL text refuses NUL, and a log line wants none
    String printable = reason.replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]", "\uFFFD");
    String text = printable.length() > MAX_REASON ? printable.substring(0, MAX_REASON) : printable;
    jdbc.sql(
            "update config_request set status = 'FAILED', failure_reason = ?, failure_code = ?,"
                + " waiting_for = null, updated_at = now() where id = ? and status = 'PROCESSING'")
        .params(text, code, requestId)
        .update();
  }
}
