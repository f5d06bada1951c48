package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Queues again, every few seconds, the config requests that wait for a feature definition (see
 * {@link ConfigRequestClaims#waitFor}): the next attempt renders once the definition has arrived,
 * or fails the request once it has waited too long. Each request is picked by one instance (skip
 * locked) and at most once per interval; a duplicate would change nothing anyway.
 */
@Component
class WaitingRequests {

  private final JdbcClient jdbc;
  private final Outbox outbox;

  WaitingRequests(JdbcClient jdbc, Outbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  @Scheduled(
      fixedDelayString = "${sc.waiting-requests-interval:PT2S}",
      initialDelayString = "${sc.waiting-requests-interval:PT2S}")
  @Transactional
  public void requeue() {
    jdbc.sql(
            """
            update config_request set updated_at = now() where id in (
              select id from config_request where waiting_for is not null and status = 'QUEUED'
                and updated_at < now() - interval '1 second'
              order by waiting_since limit 500 for update skip locked)
            returning id, tenant_id, device_id
            """)
        .query(
            (rs, n) -> {
              UUID id = rs.getObject(1, UUID.class);
              UUID device = rs.getObject(3, UUID.class);
              outbox.append(
                  Topics.SC_CONFIG_REQUESTS,
                  EventEnvelope.of(
                      "/sc-service/config-requests",
                      rs.getString(2),
                      device.toString(),
                      new ConfigRequested(id, device)));
              return id;
            })
        .list();
  }
}
