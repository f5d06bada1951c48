package dev.ems.sc.webhook;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The delivery log of a subscription, newest first, and redelivery on an operator's request. */
@Service
class WebhookDeliveries {

  static final int MAX_LIMIT = 500;

  record Delivery(
      String messageId,
      String eventType,
      String subject,
      String status,
      int attempts,
      Integer lastStatusCode,
      String lastError,
      Instant createdAt,
      Instant lastAttemptAt,
      Instant nextAttemptAt,
      Instant deliveredAt) {}

  private final JdbcClient jdbc;
  private final WebhookSubscriptions subscriptions;
  private final WebhookProperties properties;

  WebhookDeliveries(
      JdbcClient jdbc, WebhookSubscriptions subscriptions, WebhookProperties properties) {
    this.jdbc = jdbc;
    this.subscriptions = subscriptions;
    this.properties = properties;
  }

  @Transactional(readOnly = true)
  List<Delivery> list(String tenant, UUID subscription, String status, int limit) {
    subscriptions.get(tenant, subscription);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "limit must be between 1 and " + MAX_LIMIT, "limit");
    }
    if (status != null && !List.of("PENDING", "DELIVERED", "FAILED").contains(status)) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "status must be PENDING, DELIVERED or FAILED", "status");
    }
    return query(subscription, status, null, limit);
  }

  private List<Delivery> query(UUID subscription, String status, String messageId, int limit) {
    return jdbc.sql(
            """
            select d.message_id, m.event_type, m.subject, d.status, d.attempts,
              d.last_status_code, d.last_error, d.created_at, d.last_attempt_at,
              d.next_attempt_at, d.delivered_at
            from webhook_delivery d join webhook_message m on m.id = d.message_id
            where d.subscription_id = ? and (?::text is null or d.status = ?::text)
              and (?::text is null or d.message_id = ?::text)
            order by d.seq desc limit ?
            """)
        .params(subscription, status, status, messageId, messageId, limit)
        .query(
            (rs, n) ->
                new Delivery(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    (Integer) rs.getObject(6),
                    rs.getString(7),
                    rs.getTimestamp(8).toInstant(),
                    WebhookSubscriptions.instant(rs.getTimestamp(9)),
                    "PENDING".equals(rs.getString(4)) ? rs.getTimestamp(10).toInstant() : null,
                    WebhookSubscriptions.instant(rs.getTimestamp(11))))
        .list();
  }

  /**
   * Sends a message again (same {@code webhook-id}, so the receiver can tell a repeat), as soon as
   * the deliveries of the same device queued before it are done, with a fresh retry window.
   */
  @Transactional
  Delivery redeliver(String tenant, UUID subscription, String messageId) {
    subscriptions.get(tenant, subscription);
    int updated =
        jdbc.sql(
                """
                update webhook_delivery set status = 'PENDING', next_attempt_at = now(),
                  retry_until = now() + ?::interval
                where subscription_id = ? and message_id = ?
                """)
            .params(properties.retryFor().toMillis() + " milliseconds", subscription, messageId)
            .update();
    if (updated == 0) {
      throw new EmsException(
          ErrorCode.NOT_FOUND, "No delivery " + messageId + " of " + subscription);
    }
    return query(subscription, null, messageId, 1).getFirst();
  }
}
