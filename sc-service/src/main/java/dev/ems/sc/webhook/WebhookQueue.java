package dev.ems.sc.webhook;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.Topics;
import dev.ems.common.event.WebhookDisabled;
import dev.ems.platform.outbox.Outbox;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The pending deliveries as a queue per subscription and device: a claim takes only the oldest
 * pending delivery of each pair, due now, of an enabled subscription, and leases it (skip locked,
 * so replicas share the work without sending a message twice at once).
 */
@Component
class WebhookQueue {

  record Claimed(
      long seq,
      UUID subscription,
      String tenant,
      String url,
      String sealedSecret,
      String messageId,
      String body,
      int attempts) {}

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final WebhookProperties properties;

  WebhookQueue(JdbcClient jdbc, Outbox outbox, WebhookProperties properties) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.properties = properties;
  }

  @Transactional
  public List<Claimed> claim(int limit) {
    Duration lease = properties.requestTimeout().multipliedBy(3).plusSeconds(10);
    return jdbc.sql(
            """
            with due as (
              select d.seq from webhook_delivery d
              join webhook_subscription s on s.id = d.subscription_id and s.enabled
              where d.status = 'PENDING' and d.next_attempt_at <= now()
                and not exists (select 1 from webhook_delivery e
                  where e.subscription_id = d.subscription_id and e.order_key = d.order_key
                    and e.status = 'PENDING' and e.seq < d.seq)
              order by d.seq limit ? for update of d skip locked)
            update webhook_delivery d set next_attempt_at = now() + ?::interval
            from due, webhook_subscription s, webhook_message m
            where d.seq = due.seq and s.id = d.subscription_id and m.id = d.message_id
            returning d.seq, d.subscription_id, s.tenant_id, s.url, s.secret_sealed, d.message_id,
              m.body, d.attempts
            """)
        .params(limit, interval(lease))
        .query(
            (rs, n) ->
                new Claimed(
                    rs.getLong(1),
                    rs.getObject(2, UUID.class),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getInt(8)))
        .list();
  }

  @Transactional
  public void delivered(Claimed delivery, int statusCode) {
    jdbc.sql(
            """
            update webhook_delivery set status = 'DELIVERED', attempts = attempts + 1,
              last_status_code = ?, last_error = null, last_attempt_at = now(),
              delivered_at = now()
            where seq = ?
            """)
        .params(statusCode, delivery.seq())
        .update();
    jdbc.sql("update webhook_subscription set failing_since = null where id = ?")
        .param(delivery.subscription())
        .update();
  }

  /**
   * Records a failed attempt: the next one after an exponential backoff, or none once the retry
   * window is over; a subscription that has failed for {@code disable-after} without a success in
   * between is disabled, with a {@link WebhookDisabled} event.
   */
  @Transactional
  public void failed(Claimed delivery, Integer statusCode, String error) {
    jdbc.sql(
            """
            update webhook_delivery set attempts = attempts + 1, last_status_code = ?,
              last_error = ?, last_attempt_at = now(), next_attempt_at = now() + ?::interval,
              status = case when now() >= retry_until then 'FAILED' else 'PENDING' end
            where seq = ?
            """)
        .params(statusCode, error, interval(backoff(delivery.attempts() + 1)), delivery.seq())
        .update();
    jdbc.sql(
            """
            update webhook_subscription set failing_since = coalesce(failing_since, now())
            where id = ?
            """)
        .param(delivery.subscription())
        .update();
    jdbc.sql(
            """
            update webhook_subscription set enabled = false, disabled_at = now(),
              disabled_reason = ?, updated_at = now()
            where id = ? and enabled and failing_since <= now() - ?::interval
            returning tenant_id, url, failing_since, disabled_at
            """)
        .params(error, delivery.subscription(), interval(properties.disableAfter()))
        .query(
            (rs, n) ->
                new WebhookDisabled(
                    delivery.subscription(),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    error,
                    rs.getTimestamp(4).toInstant()))
        .optional()
        .ifPresent(
            disabled ->
                outbox.append(
                    Topics.SC_WEBHOOKS,
                    EventEnvelope.of(
                        "/sc-service/webhooks",
                        delivery.tenant(),
                        delivery.subscription().toString(),
                        disabled)));
  }

  /** Forgets delivered and failed deliveries, and messages no delivery needs, after retention. */
  @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
  @Transactional
  public void prune() {
    String retention = interval(properties.retention());
    jdbc.sql(
            "delete from webhook_delivery where status <> 'PENDING'"
                + " and created_at < now() - ?::interval")
        .param(retention)
        .update();
    jdbc.sql(
            "delete from webhook_message m where created_at < now() - ?::interval and not exists"
                + " (select 1 from webhook_delivery d where d.message_id = m.id)")
        .param(retention)
        .update();
  }

  /** initial × 2^(attempt − 1), at most max, plus up to a tenth of jitter. */
  Duration backoff(int attempt) {
    long initial = properties.initialBackoff().toMillis();
    long max = properties.maxBackoff().toMillis();
    long millis = attempt >= 40 ? max : Math.min(max, initial << Math.max(0, attempt - 1));
    return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis / 10 + 1));
  }

  private static String interval(Duration d) {
    return d.toMillis() + " milliseconds";
  }
}
