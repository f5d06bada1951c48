package dev.ems.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.platform.PlatformTestApplication;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A write that took effect while the pool is exhausted (issue 18's issuance burst: a certificate
 * issued, then its request's audit record timed out waiting for a connection, and the operator got
 * a 500 for a certificate that existed). The handler below makes its change, then holds every
 * connection of the pool for a second, four times the pool's connection timeout: the record's first
 * try cannot get one. The caller gets the handler's answer once the record is written.
 */
@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.hikari.maximum-pool-size=2",
      "spring.datasource.hikari.connection-timeout=250"
    })
@Import(AuditUnderLoadIT.CrowdingController.class)
class AuditUnderLoadIT {

  private static final int POOL = 2;

  @LocalServerPort int port;
  @Autowired ApiKeys keys;
  @Autowired JdbcClient jdbc;

  @Test
  void aChangeMadeWhileThePoolIsExhaustedIsAnsweredOnceItsRecordIsWritten() throws Exception {
    String key = ApiKeys.generate();
    keys.upsert(
        UUID.randomUUID(), "default", "ops", ApiKeys.hash(key), Role.OPERATOR, Instant.now(), null);
    String requestId = "crowded-" + UUID.randomUUID();

    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/crowded"))
                    .header("Authorization", "Bearer " + key)
                    .header("X-Request-Id", requestId)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(
            jdbc.sql("select status from audit_record where request_id = ?")
                .param(requestId)
                .query(Integer.class)
                .list())
        .containsExactly(200);
  }

  /** Its one write is instant; then it leaves the pool exhausted for a second. */
  @RestController
  static class CrowdingController {
    private final DataSource dataSource;

    CrowdingController(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    @RequiresRole(Role.OPERATOR)
    @PostMapping("/api/v1/crowded")
    String crowd(Caller caller) throws SQLException {
      List<Connection> held = new ArrayList<>();
      while (held.size() < POOL) {
        try {
          held.add(dataSource.getConnection());
        } catch (SQLException busy) {
          // a background task has it for a moment
        }
      }
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  Thread.sleep(1_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                for (Connection c : held) {
                  try {
                    c.close();
                  } catch (SQLException e) {
                    // returned to the pool either way
                  }
                }
              });
      return "done";
    }
  }
}
