package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A config request unchanged past {@code sc.stuck-request-after} (default PT5M) is queued again and
 * then completes; one already re-driven as often as allowed is FAILED naming the bound; one waiting
 * for a feature definition is left alone.
 */
@SpringBootTest
class StuckRequestsIT {

  @Autowired StuckRequests stuck;
  @Autowired JdbcClient jdbc;

  @Test
  void aStuckRequestIsReDrivenThenFailedNamingTheBoundAndAWaitingOneIsNotStuck() {
    UUID lost = request("QUEUED", 0, null);
    UUID exhausted = request("PROCESSING", 3, null);
    UUID waiting = request("QUEUED", 0, "qos");

    stuck.sweep();

    await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(column(lost, "status")));
    assertThat(column(lost, "redrives")).isEqualTo("1");
    assertThat(column(exhausted, "status")).isEqualTo("FAILED");
    assertThat(column(exhausted, "failure_reason"))
        .contains("PT5M")
        .contains("sc.stuck-request-after");
    // WaitingRequests queues it again (and it may complete), this sweep never counts it stuck
    assertThat(column(waiting, "redrives")).isEqualTo("0");
  }

  private String column(UUID request, String column) {
    return jdbc.sql("select " + column + "::text from config_request where id = ?")
        .param(request)
        .query(String.class)
        .single();
  }

  private UUID request(String status, int redrives, String waitingFor) {
    UUID device = UUID.randomUUID();
    jdbc.sql(
            "insert into device (id, tenant_id, serial, model, name, bootstrap_token_hash,"
                + " created_at, updated_at) values (?, 'default', ?, 'm', 'n', 'h', now(), now())")
        .params(device, "SN-" + device)
        .update();
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into config_request (id, tenant_id, device_id, status, variables,"
                + " requested_by, created_at, updated_at, redrives, waiting_for, waiting_since)"
                + " values (?, 'default', ?, ?, '{\"timezone\":\"UTC\"}'::jsonb, 'test',"
                + " now() - interval '1 hour', now() - interval '10 minutes', ?, ?,"
                + " case when ?::text is null then null else now() end)")
        .params(id, device, status, redrives, waitingFor, waitingFor)
        .update();
    return id;
  }
}
