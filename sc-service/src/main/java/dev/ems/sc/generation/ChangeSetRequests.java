package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Config requests a change set queues for its devices, and their outcome. A request is {@code
 * requested_by change-set:<id>} with the input of the device's last operator request (as a feature
 * regeneration does), so the version it makes renders the stored (changed) variables and template
 * set; the idempotency key {@code change-set-<id>} makes a second attempt queue nothing.
 */
@Component
public class ChangeSetRequests {

  /** A request's end: {@code status} COMPLETED (with the version) or FAILED (with the reason). */
  public record Outcome(String status, Integer version, String reason) {}

  private final JdbcClient jdbc;
  private final Outbox outbox;

  ChangeSetRequests(JdbcClient jdbc, Outbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  public static String requestedBy(UUID changeSetId) {
    return "change-set:" + changeSetId;
  }

  /** Queues the device's request for the change set; returns its id (the first one's on retry). */
  @Transactional(propagation = Propagation.MANDATORY)
  public UUID queue(String tenant, UUID deviceId, UUID changeSetId) {
    UUID requestId = UUID.randomUUID();
    String key = "change-set-" + changeSetId;
    int inserted =
        jdbc.sql(
                """
                insert into config_request (id, tenant_id, device_id, status, variables,
                  idempotency_key, requested_by, created_at, updated_at)
                values (?, ?, ?, 'QUEUED', coalesce((select variables from config_request
                  where device_id = ? and requested_by <> ? order by created_at desc limit 1),
                  '{}'::jsonb), ?, ?, now(), now())
                on conflict (tenant_id, device_id, idempotency_key) do nothing
                """)
            .params(
                requestId,
                tenant,
                deviceId,
                deviceId,
                FeatureRegeneration.REQUESTED_BY,
                key,
                requestedBy(changeSetId))
            .update();
    if (inserted == 0) {
      return jdbc.sql(
              "select id from config_request where tenant_id = ? and device_id = ?"
                  + " and idempotency_key = ?")
          .params(tenant, deviceId, key)
          .query(UUID.class)
          .single();
    }
    outbox.append(
        Topics.SC_CONFIG_REQUESTS,
        EventEnvelope.of(
            "/sc-service/config-requests",
            tenant,
            deviceId.toString(),
            new ConfigRequested(requestId, deviceId)));
    return requestId;
  }

  /** The outcome of the request, empty while it is not final. */
  public Optional<Outcome> outcome(UUID requestId) {
    return jdbc.sql(
            "select status, config_version, failure_reason from config_request where id = ?"
                + " and status in ('COMPLETED', 'FAILED')")
        .param(requestId)
        .query((rs, n) -> new Outcome(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3)))
        .optional();
  }

  /**
   * The outcome of the first regeneration tw-service's feature change queued for the device since
   * {@code since}: the version the change set's feature operations made.
   */
  public Optional<Outcome> featureOutcome(UUID deviceId, Instant since) {
    return jdbc.sql(
            "select status, config_version, failure_reason from config_request"
                + " where device_id = ? and requested_by = ? and created_at >= ?"
                + " and status in ('COMPLETED', 'FAILED') order by created_at limit 1")
        .params(deviceId, FeatureRegeneration.REQUESTED_BY, Timestamp.from(since))
        .query((rs, n) -> new Outcome(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3)))
        .optional();
  }
}
