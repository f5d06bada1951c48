package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real suite — all five services, real PostgreSQL, real Kafka — driven over HTTP as an operator
 * and a device would.
 */
class SuiteIT {

  private static final String ADMIN = RunningSuite.ADMIN;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper json = new JsonMapper();
  private static Suite suite;

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void everyServiceIsReadyWithDatabaseAndKafkaAndGuardsItsOperatorApi() throws Exception {
    for (Suite.Service service : Suite.SERVICES) {
      var ready = send(get(service.name(), "/actuator/health/readiness"));
      assertThat(ready.statusCode()).as(service.name()).isEqualTo(200);
      JsonNode health = json.readTree(ready.body());
      assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
      assertThat(health.at("/components/kafka/status").asString()).isEqualTo("UP");

      if (service.name().equals("device-api")) {
        continue; // no operator API: devices authenticate by certificate (DeviceApiIT, journey)
      }
      var anonymous =
          send(HttpRequest.newBuilder(uri(service.name(), "/api/v1/anything")).GET().build());
      assertThat(anonymous.statusCode()).as(service.name()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(json.readTree(anonymous.body()).get("code").asString())
          .isEqualTo("unauthenticated");
    }
  }

  @Test
  void zeroTouchJourneyFromInventoryToAppliedConfigAndRevocation() throws Exception {
    var created =
        send(
            post(
                "sc-service",
                "/api/v1/devices",
                "{\"serial\":\"SYS-0001\",\"model\":\"ow-x86\",\"name\":\"branch-sys\"}"));
    assertThat(created.statusCode()).isEqualTo(201);
    String deviceId = json.readTree(created.body()).get("id").asString();
    String token = json.readTree(created.body()).get("bootstrapToken").asString();

    var accepted =
        send(
            post(
                "sc-service",
                "/api/v1/devices/" + deviceId + "/config-requests",
                "{\"variables\":{\"timezone\":\"Europe/Berlin\"}}"));
    assertThat(accepted.statusCode()).isEqualTo(202);
    String statusUrl = accepted.headers().firstValue("Location").orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode status = json.readTree(send(get("sc-service", statusUrl)).body());
              assertThat(status.get("status").asString()).isEqualTo("COMPLETED");
            });

    // the device: its own key, enrollment with serial + token + CSR through device-api and PKI
    var device =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), "SYS-0001", "X-SSL-Client-Cert");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> device.enroll(token) == 200);
    assertThat(device.deviceId()).isEqualTo(deviceId);
    assertThat(
            new SimulatedDevice(
                    http,
                    "http://127.0.0.1:" + suite.port("device-api"),
                    "SYS-0001",
                    "X-SSL-Client-Cert")
                .enroll(token))
        .as("a used token enrolls no other key")
        .isEqualTo(409);

    await().atMost(Duration.ofSeconds(30)).until(() -> device.fetchConfig() == 200);
    assertThat(device.config().version()).isEqualTo(1);
    assertThat(device.config().bundle().toString())
        .contains("option zonename 'Europe/Berlin'")
        .contains("option timezone 'CET-1CEST,M3.5.0,M10.5.0/3'");
    assertThat(device.config().etag())
        .isEqualTo("\"" + device.config().bundle().get("sha256").asString() + "\"");
    assertThat(device.fetchConfig()).isEqualTo(304);

    assertThat(device.reportApply(true, null)).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode version =
                  json.readTree(
                      send(get("sc-service", "/api/v1/devices/" + deviceId + "/configs/1")).body());
              assertThat(version.get("applyStatus").asString()).isEqualTo("APPLIED");
              JsonNode sc =
                  json.readTree(send(get("sc-service", "/api/v1/devices/" + deviceId)).body());
              assertThat(sc.get("configStatus").asString()).isEqualTo("APPLIED");
            });
    assertThat(device.heartbeat(60, "ESTABLISHED").statusCode()).isEqualTo(200);

    JsonNode certs =
        json.readTree(
            send(get("pki-service", "/api/v1/end-entities/" + deviceId + "/certificates")).body());
    String serial = certs.get(0).get("serial").asString();
    var revoked =
        send(
            post(
                "pki-service",
                "/api/v1/certificates/" + serial + "/revoke",
                "{\"reason\":\"keyCompromise\"}"));
    assertThat(revoked.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> device.fetchConfig() == 401);
  }

  @Test
  void anApiKeyIssuedOnScWorksOnEveryServiceAndStopsWhenRevoked() throws Exception {
    var issued =
        send(post("sc-service", "/api/v1/api-keys", "{\"name\":\"viewer\",\"role\":\"VIEWER\"}"));
    assertThat(issued.statusCode()).isEqualTo(201);
    JsonNode key = json.readTree(issued.body());
    String bearer = "Bearer " + key.get("key").asString();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var fleet = send(withAuth(get("diagnostic-service", "/api/v1/fleet/health"), bearer));
              assertThat(fleet.statusCode()).isEqualTo(200);
            });
    var write =
        send(
            withAuth(
                post(
                    "sc-service",
                    "/api/v1/devices",
                    "{\"serial\":\"V-1\",\"model\":\"m\",\"name\":\"n\"}"),
                bearer));
    assertThat(write.statusCode()).isEqualTo(403);

    var revoked =
        send(
            HttpRequest.newBuilder(
                    uri("sc-service", "/api/v1/api-keys/" + key.get("id").asString()))
                .header("Authorization", ADMIN)
                .DELETE()
                .build());
    assertThat(revoked.statusCode()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        send(withAuth(get("diagnostic-service", "/api/v1/fleet/health"), bearer))
                            .statusCode())
                    .isEqualTo(401));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest withAuth(HttpRequest request, String bearer) {
    return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
        .header("Authorization", bearer)
        .build();
  }

  private static URI uri(String service, String path) {
    return URI.create("http://127.0.0.1:" + suite.port(service) + path);
  }

  private static HttpRequest get(String service, String path) {
    return HttpRequest.newBuilder(uri(service, path)).header("Authorization", ADMIN).GET().build();
  }

  private static HttpRequest post(String service, String path, String body) {
    return HttpRequest.newBuilder(uri(service, path))
        .header("Authorization", ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
