package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.embedded.RawHttp;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A device's certificate through its life, seen from device-api: enrolling again supersedes the old
 * certificate, an RMA revokes the old hardware's, decommissioning revokes the last; a suspended
 * tenant's devices and keys are refused everywhere until it is resumed.
 */
class DeviceTrustSuiteIT {

  private static final JsonMapper json = new JsonMapper();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static Suite suite;

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void reenrollmentRmaAndDecommissionEachRetireTheOldCertificateWithinSeconds() throws Exception {
    try (var output = new CapturedOutput()) {
      List<String> secrets = lifecycle();
      // nothing a device or an operator holds as a credential reaches a log
      secrets.add(TestInfrastructure.ADMIN_KEY);
      secrets.add(TestInfrastructure.INTERNAL_API_KEY);
      String logged = output.text();
      assertThat(logged).as("the suite's output while the test ran").isNotEmpty();
      for (String secret : secrets) {
        assertThat(logged).as("logs").doesNotContain(secret);
      }
    }
  }

  /** The lifecycle; returns the credentials it handled (keys, bootstrap tokens). */
  private static List<String> lifecycle() throws Exception {
    List<String> secrets = new ArrayList<>();
    String key = tenantAdminKey();
    secrets.add(key);
    String serial = serial();
    JsonNode created =
        call(
            key,
            "POST",
            "/api/v1/devices",
            Map.of("serial", serial, "model", "ow-x86", "name", "x"));
    String deviceId = created.get("id").asString();

    secrets.add(created.get("bootstrapToken").asString());
    SimulatedDevice first = enrolled(serial, created.get("bootstrapToken").asString());
    assertThat(first.heartbeat(10, "ESTABLISHED").statusCode()).isEqualTo(200);

    // the same hardware enrolls again with a new key (a new token from the operator)
    String token =
        call(key, "POST", "/api/v1/devices/" + deviceId + "/bootstrap-token", null)
            .get("bootstrapToken")
            .asString();
    secrets.add(token);
    SimulatedDevice second = enrolled(serial, token);
    awaitRefused(first);
    assertThat(second.heartbeat(20, "ESTABLISHED").statusCode()).isEqualTo(200);

    // RMA: new hardware under a new serial; the old hardware's certificate goes
    String newSerial = serial();
    String rmaToken =
        call(key, "POST", "/api/v1/devices/" + deviceId + "/replace", Map.of("serial", newSerial))
            .get("bootstrapToken")
            .asString();
    secrets.add(rmaToken);
    SimulatedDevice replacement = enrolled(newSerial, rmaToken);
    awaitRefused(second);
    assertThat(replacement.heartbeat(30, "ESTABLISHED").statusCode()).isEqualTo(200);

    // decommissioned: no certificate of the device counts any more
    assertThat(
            RawHttp.send(
                    suite.port("sc-service"),
                    "DELETE",
                    "/api/v1/devices/" + deviceId,
                    "Bearer " + key,
                    null,
                    null)
                .statusCode())
        .isBetween(200, 299);
    awaitRefused(replacement);
    return secrets;
  }

  @Test
  void aSuspendedTenantsKeysAndDevicesAreRefusedEverywhereUntilResumed() throws Exception {
    String tenant = "trust-" + UUID.randomUUID().toString().substring(0, 8);
    String key = tenantAdminKey(tenant);
    String serial = serial();
    JsonNode created =
        call(
            key,
            "POST",
            "/api/v1/devices",
            Map.of("serial", serial, "model", "ow-x86", "name", "x"));
    SimulatedDevice device = enrolled(serial, created.get("bootstrapToken").asString());
    assertThat(device.heartbeat(10, "ESTABLISHED").statusCode()).isEqualTo(200);

    call(TestInfrastructure.ADMIN_KEY, "POST", "/api/v1/tenants/" + tenant + "/suspend", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(device.heartbeat(11, "ESTABLISHED").statusCode()).isEqualTo(403);
              for (String service :
                  new String[] {"sc-service", "tw-service", "diagnostic-service", "pki-service"}) {
                assertThat(status(service, key, "/api/v1/devices")).as(service).isEqualTo(401);
              }
            });

    call(TestInfrastructure.ADMIN_KEY, "POST", "/api/v1/tenants/" + tenant + "/resume", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(device.heartbeat(12, "ESTABLISHED").statusCode()).isEqualTo(200);
              assertThat(status("sc-service", key, "/api/v1/devices")).isEqualTo(200);
            });
  }

  private static void awaitRefused(SimulatedDevice device) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            // 401 certificate-revoked (superseded, RMA), 409 device-decommissioned
            () -> assertThat(device.heartbeat(1, "ESTABLISHED").statusCode()).isIn(401, 409));
  }

  private static SimulatedDevice enrolled(String serial, String token) throws Exception {
    var device =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), serial, "X-SSL-Client-Cert");
    int[] last = {0};
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .alias("enrollment of " + serial + " (last status " + last[0] + ")")
        .until(() -> (last[0] = device.enroll(token)) == 200);
    return device;
  }

  private static String tenantAdminKey() throws Exception {
    return tenantAdminKey("trust-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** A new tenant's first ADMIN key, once every service accepts it. */
  private static String tenantAdminKey(String tenant) throws Exception {
    String key =
        call(
                TestInfrastructure.ADMIN_KEY,
                "POST",
                "/api/v1/tenants",
                Map.of("name", "Tenant " + tenant, "id", tenant))
            .at("/adminKey/key")
            .asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (String service :
                  new String[] {"sc-service", "tw-service", "diagnostic-service", "pki-service"}) {
                assertThat(status(service, key, "/api/v1/devices")).as(service).isNotEqualTo(401);
              }
            });
    return key;
  }

  private static int status(String service, String key, String path) throws Exception {
    return RawHttp.get(suite.port(service), path, "Bearer " + key).statusCode();
  }

  private static JsonNode call(String key, String method, String path, Object body)
      throws Exception {
    return SuiteHttp.call(suite, key, method, path, body);
  }

  private static String serial() {
    return "TRUST-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  }
}
