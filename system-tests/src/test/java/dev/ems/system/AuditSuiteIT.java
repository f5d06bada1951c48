package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.embedded.RawHttp;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README walk-through's audit: each step (tenant created by the system admin, device added,
 * config requested, device enrolled, feature set, second key issued) is on the trail of the service
 * that did it, with its actor, and every chain verifies.
 */
class AuditSuiteIT {

  private static final JsonMapper json = new JsonMapper();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Suite suite;

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void theWalkThroughLeavesAVerifiedTrailWithEachStepsActor() throws Exception {
    String system = TestInfrastructure.ADMIN_KEY;
    String tenantId = "audit-" + UUID.randomUUID().toString().substring(0, 8);
    // 0. the system administrator creates a tenant
    JsonNode tenant =
        send(
            system,
            "sc-service",
            "POST",
            "/api/v1/tenants",
            "{\"name\":\"Acme " + tenantId + "\",\"id\":\"" + tenantId + "\"}",
            201);
    String key = tenant.at("/adminKey/key").asString();
    awaitAccepted(key);
    // 1. a device
    String serial = "AUD-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode device =
        send(
            key,
            "sc-service",
            "POST",
            "/api/v1/devices",
            "{\"serial\":\"" + serial + "\",\"model\":\"ow-x86\",\"name\":\"branch\"}",
            201);
    String deviceId = device.get("id").asString();
    // 2. a config request
    send(
        key,
        "sc-service",
        "POST",
        "/api/v1/devices/" + deviceId + "/config-requests",
        "{\"variables\":{\"timezone\":\"Europe/Berlin\"}}",
        202);
    // 4. the device enrolls (device-api asks pki-service)
    var simulated =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), serial, "X-SSL-Client-Cert");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        // like a device: retry on a timeout or a 503 (the suite may be busy or starting)
        .ignoreExceptions()
        .until(() -> simulated.enroll(device.get("bootstrapToken").asString()) == 200);
    // 9. a feature on tw-service
    send(
        key,
        "tw-service",
        "PUT",
        "/api/v1/devices/" + deviceId + "/features/wan",
        "{\"params\":{\"wan_proto\":\"dhcp\"}}",
        0);
    // 10. a second operator's key
    send(
        key,
        "sc-service",
        "POST",
        "/api/v1/api-keys",
        "{\"name\":\"second-operator\",\"role\":\"OPERATOR\"}",
        201);

    List<JsonNode> systemTrail = trail(system, "sc-service");
    JsonNode created = find(systemTrail, "POST /api/v1/tenants", "/api/v1/tenants/" + tenantId);
    assertThat(created.get("actorType").asString()).isEqualTo("API_KEY");
    assertThat(created.get("status").asInt()).isEqualTo(201);

    List<JsonNode> sc = trail(key, "sc-service");
    JsonNode added = find(sc, "POST /api/v1/devices", "/api/v1/devices/" + deviceId);
    String operator = added.get("actorId").asString();
    assertThat(added.get("actorType").asString()).isEqualTo("API_KEY");
    assertThat(operator).isNotEqualTo(created.get("actorId").asString());
    for (JsonNode step :
        List.of(
            added,
            find(sc, "POST /api/v1/devices/{deviceId}/config-requests", "/api/v1/config-requests/"),
            find(sc, "POST /api/v1/api-keys", "/api/v1/api-keys"))) {
      assertThat(step.get("actorId").asString()).as(step.toString()).isEqualTo(operator);
      assertThat(step.get("requestDigest").asString()).hasSize(64);
      assertThat(step.get("status").asInt()).isBetween(200, 299);
    }
    JsonNode feature =
        find(
            trail(key, "tw-service"),
            "PUT /api/v1/devices/{deviceId}/features/{key}",
            "/api/v1/devices/" + deviceId + "/features/wan");
    assertThat(feature.get("actorId").asString()).isEqualTo(operator);
    JsonNode issued = find(trail(key, "pki-service"), "pki.certificate.issue", "certificate/");
    assertThat(issued.get("actorType").asString()).isEqualTo("DEVICE");
    assertThat(issued.get("actorId").asString()).isEqualTo(deviceId);

    for (String service : List.of("sc-service", "tw-service", "pki-service")) {
      JsonNode verified = get(key, service, "/api/v1/audit/verify");
      assertThat(verified.get("valid").asBoolean()).as(service + " " + verified).isTrue();
      assertThat(verified.get("records").asLong()).as(service).isPositive();
    }
    assertThat(get(system, "sc-service", "/api/v1/audit/verify").get("valid").asBoolean()).isTrue();
  }

  private static JsonNode find(List<JsonNode> trail, String action, String resourcePrefix) {
    return trail.stream()
        .filter(r -> r.get("action").asString().equals(action))
        .filter(r -> r.get("resource").asString().startsWith(resourcePrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError(action + " " + resourcePrefix + " not in " + trail));
  }

  private static List<JsonNode> trail(String key, String service) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = get(key, service, "/api/v1/audit?limit=1000&after=" + after);
      page.get("items").forEach(all::add);
      if (page.get("next").isNull()) {
        return all;
      }
      after = page.get("next").asLong();
    }
  }

  /** A new tenant's key reaches every service through the key topic. */
  private static void awaitAccepted(String key) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (String service : List.of("sc-service", "tw-service", "pki-service")) {
                if (RawHttp.get(suite.port(service), "/api/v1/audit", "Bearer " + key).statusCode()
                    != 200) {
                  return false;
                }
              }
              return true;
            });
  }

  private static JsonNode get(String key, String service, String path) throws Exception {
    var response = RawHttp.get(suite.port(service), path, "Bearer " + key);
    assertThat(response.statusCode())
        .as(service + " " + path + ": " + response.body())
        .isEqualTo(200);
    return json.readTree(response.body());
  }

  private static JsonNode send(
      String key, String service, String method, String path, String body, int status)
      throws Exception {
    var response =
        RawHttp.send(
            suite.port(service),
            method,
            path,
            "Bearer " + key,
            "application/json",
            body.getBytes(StandardCharsets.UTF_8));
    if (status == 0) {
      assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
    } else {
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    }
    return json.readTree(response.body());
  }
}
