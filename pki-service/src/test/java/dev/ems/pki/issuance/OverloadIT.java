package dev.ems.pki.issuance;

import static dev.ems.pki.PkiTestSupport.ADMIN;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static dev.ems.pki.PkiTestSupport.operatorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.pki.TestCsrs;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issuance while every connection of the pool is taken (issue 18's mass-enrollment run: 23 × 500
 * among the 503s): the operator is told to come back (503 problem with Retry-After), never a 500,
 * and nothing is issued. The pool is exhausted deterministically: the test holds both of its
 * connections while the request runs, so each of the request's connection requests times out.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.hikari.maximum-pool-size=2",
      "spring.datasource.hikari.connection-timeout=250"
    })
@AutoConfigureMockMvc
class OverloadIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = new JsonMapper();

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired ApiKeys keys;
  @LocalServerPort int port;

  @Test
  void issuanceWithThePoolExhaustedIsRefusedAsBusyAndIssuesNothing() throws Exception {
    String entity = newEntity(mvc);
    // a key the service has not seen yet: authenticating it needs the database too
    String freshKey = operatorOf(keys, "default", Role.OPERATOR);

    List<HttpResponse<String>> answers = new ArrayList<>();
    try (var held = holdEveryConnection()) {
      answers.add(issue(entity, ADMIN));
      answers.add(issue(entity, freshKey));
    }

    for (var r : answers) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
      JsonNode problem = JSON.readTree(r.body());
      assertThat(problem.get("code").asString()).isEqualTo("service-unavailable");
      assertThat(problem.get("status").asInt()).isEqualTo(503);
    }
    assertThat(
            jdbc.sql("select count(*) from certificate where entity_name = ?")
                .param(entity)
                .query(Long.class)
                .single())
        .isZero();
  }

  private HttpResponse<String> issue(String entity, String authorization) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/api/v1/end-entities/"
                        + entity
                        + "/certificates"))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(Map.of("csr", TestCsrs.p256("CN=x")))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Takes both connections of the pool (waiting for the service's background work to return them).
   */
  private Held holdEveryConnection() throws SQLException {
    var held = new Held(new ArrayList<>());
    while (held.connections().size() < 2) {
      try {
        held.connections().add(dataSource.getConnection());
      } catch (SQLException busy) {
        // a background task has it for a moment
      }
    }
    return held;
  }

  private record Held(List<Connection> connections) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      for (Connection c : connections) {
        c.close();
      }
    }
  }
}
