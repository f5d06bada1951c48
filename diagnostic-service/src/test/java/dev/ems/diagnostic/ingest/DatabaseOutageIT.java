package dev.ems.diagnostic.ingest;

import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A database that fails a batch with a connection failure (SQLSTATE 08006, as a dropped connection
 * does; the pool evicts the connection) for longer than the bounded retries last: the batch is
 * retried until the database answers again, and the heartbeat is stored, not dead-lettered.
 */
@DiagnosticIntegrationTest
class DatabaseOutageIT {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;

  @Test
  void heartbeatsOutliveADatabaseOutageInsteadOfGoingToTheDeadLetterTopic() {
    UUID device = Fixtures.device(mvc);
    jdbc.sql("create sequence if not exists outage_attempts").update();
    jdbc.sql(
            """
            create or replace function outage() returns trigger language plpgsql as $$
            begin
              perform nextval('outage_attempts'); -- not transactional: survives the rollback
              raise exception 'connection lost (simulated)' using errcode = '08006';
            end $$
            """)
        .update();
    long before = jdbc.sql("select nextval('outage_attempts')").query(Long.class).single();
    jdbc.sql(
            "create trigger outage before update on device_health for each row"
                + " when (new.device_id = '"
                + device
                + "') execute function outage()")
        .update();
    try {
      Fixtures.heartbeat(device, TestClock.now(), "ESTABLISHED");
      // the platform's bounded policy gives up after 4 attempts
      await()
          .atMost(WAIT)
          .until(
              () ->
                  jdbc.sql("select last_value from outage_attempts").query(Long.class).single()
                      >= before + 6);
    } finally {
      jdbc.sql("drop trigger outage on device_health").update();
    }

    await()
        .atMost(WAIT)
        .until(
            () ->
                "ONLINE"
                    .equals(
                        jdbc.sql("select connectivity from device_health where device_id = ?")
                            .param(device)
                            .query(String.class)
                            .single()));
    var deadLettered =
        TestEvents.read(
            Topics.deadLetter(Topics.DEVICE_TELEMETRY), r -> false, Duration.ofSeconds(2));
    assertThat(deadLettered).noneMatch(r -> device.toString().equals(r.key()));
  }
}
