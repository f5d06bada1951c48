package dev.ems.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.embedded.RawHttp;
import dev.ems.platform.PlatformTestApplication;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operator access over real HTTP (Tomcat, Spring Security, Spring MVC): the rule that is checked is
 * the rule of the handler that serves the request, whatever the path's spelling.
 */
@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorAccessIT {

  static final String BOOTSTRAP = "test-admin-key-0123456789";
  static final JsonMapper json = new JsonMapper();

  @LocalServerPort int port;
  @Autowired ApiKeys keys;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/widget%2Dsecrets",
        "/api/v1/%77idget-secrets",
        "/api/v1/widget-secret%73",
        "/api/v1/widget-secrets"
      })
  void encodedSpellingsOfAnAdminPathStillNeedAdmin(String path) throws Exception {
    for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
      var response = get(path, key(role));
      assertThat(response.statusCode()).as(role + " " + path).isEqualTo(403);
      assertProblem(response, "forbidden");
    }
    assertThat(get(path, BOOTSTRAP).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1;/widget-secrets",
        "/api;x/v1/widget-secrets",
        "/api/v1/widget-secrets;x=1",
        "/api/v1//widget-secrets",
        "/api/v1/./widget-secrets",
        "/api/v1/x/../widget-secrets",
        "/api/v1/%2e/widget-secrets",
        "/api/v1/widget%2Fsecrets",
        "/api/v1/widget%00secrets",
        "/api/v1/widget%ZZsecrets",
        "/api/v1/widget%5csecrets"
      })
  void ambiguousSpellingsAreRefusedWithAProblemNeverServed(String path) throws Exception {
    for (String key : List.of(key(Role.VIEWER), BOOTSTRAP)) {
      var response = get(path, key);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertProblem(response, "malformed-request");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/api/v1/widget-secrets/", "/API/V1/WIDGET-SECRETS", "/api/v1/Widget-secrets"})
  void otherSpellingsAreNotFoundNotServed(String path) throws Exception {
    var response = get(path, key(Role.VIEWER));
    assertThat(response.statusCode()).as(path).isIn(403, 404);
    assertThat(response.body()).doesNotContain("admin-only");
  }

  @Test
  void aHandlerWithoutAnAccessRuleIsRefusedToEveryone() throws Exception {
    var response = get("/api/v1/widgets-without-rule", BOOTSTRAP);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).doesNotContain("must never be served");
  }

  @Test
  void actuatorIsPublicOnlyForProbesAndInfo() throws Exception {
    for (String path :
        List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info")) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
    }
    for (String path :
        List.of("/actuator/metrics", "/actuator", "/actuator/metrics/jvm.threads.live")) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, key(Role.OPERATOR)).statusCode()).as(path).isEqualTo(403);
      // suite-wide figures: not for another tenant's admin
      assertThat(get(path, key("another-tenant", Role.ADMIN)).statusCode()).as(path).isEqualTo(403);
      assertThat(get(path, BOOTSTRAP).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void unauthenticatedRequestsGetAProblemWithTheBearerChallenge() throws Exception {
    var response = get("/api/v1/widgets", null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"ems\"");
    assertProblem(response, "unauthenticated");
    assertThat(get("/api/v1/widgets", "not-a-key-not-a-key").statusCode()).isEqualTo(401);
  }

  /** Sends the path byte for byte, as an attacker would (HTTP clients refuse or normalise some). */
  private RawHttp.Response get(String path, String key) throws Exception {
    return RawHttp.get(port, path, key == null ? null : "Bearer " + key);
  }

  private static void assertProblem(RawHttp.Response response, String code) {
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.get("code").asString()).isEqualTo(code);
    assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
  }

  private String key(Role role) {
    return key("default", role);
  }

  private String key(String tenant, Role role) {
    String key = ApiKeys.generate();
    keys.upsert(UUID.randomUUID(), tenant, "test", ApiKeys.hash(key), role, Instant.now(), null);
    return key;
  }
}
