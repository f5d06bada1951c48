package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * No config request stays QUEUED or PROCESSING for ever: one unchanged for longer than {@code
 * sc.stuck-request-after} (its record lost, its consumer crashed mid-way, an outage outlasted the
 * retries) is queued again — harmless, {@link ConfigRequestClaims#claim} takes a redelivered record
 * — up to {@code sc.stuck-request-redrives} times, then FAILED with a reason naming the bound.
 * Requests waiting for a feature definition are {@link WaitingRequests}' and not stuck. Each
 * request is swept by one replica (skip locked).
 */
@Component
class StuckRequests {

  private static final Logger log = LoggerFactory.getLogger(StuckRequests.class);

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final Duration after;
  private final int redrives;

  StuckRequests(
      JdbcClient jdbc,
      Outbox outbox,
      @Value("${sc.stuck-request-after:PT5M}") Duration after,
      @Value("${sc.stuck-request-redrives:3}") int redrives) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.after = after;
    this.redrives = redrives;
  }

  @Scheduled(
      fixedDelayString = "${sc.stuck-requests-interval:PT30S}",
      initialDelayString = "${sc.stuck-requests-interval:PT30S}")
  @Transactional
  public void sweep() {
    String reason =
        "not finished within %s (sc.stuck-request-after) after %d re-drives"
            .formatted(after, redrives);
    jdbc.sql(
            """
            with stuck as (
              select id from config_request
              where status in ('QUEUED', 'PROCESSING') and waiting_for is null
                and updated_at < now() - make_interval(secs => :after)
              order by updated_at limit 500 for update skip locked)
            update config_request c set
              redrives = c.redrives + case when c.redrives < :max then 1 else 0 end,
              status = case when c.redrives < :max then c.status else 'FAILED' end,
              failure_reason = case when c.redrives < :max then c.failure_reason else :reason end,
              updated_at = now()
            from stuck where c.id = stuck.id
            returning c.id, c.tenant_id, c.device_id, c.status, c.redrives
            """)
        .param("after", (double) after.toMillis() / 1000)
        .param("max", redrives)
        .param("reason", reason)
        .query(
            (rs, n) -> {
              UUID id = rs.getObject(1, UUID.class);
              UUID device = rs.getObject(3, UUID.class);
              if ("FAILED".equals(rs.getString(4))) {
                log.warn("config request {} failed: {}", id, reason);
              } else {
                log.info("config request {} stuck; queued again ({})", id, rs.getInt(5));
                outbox.append(
                    Topics.SC_CONFIG_REQUESTS,
                    EventEnvelope.of(
                        "/sc-service/config-requests",
                        rs.getString(2),
                        device.toString(),
                        new ConfigRequested(id, device)));
              }
              return id;
            })
        .list();
  }
}
