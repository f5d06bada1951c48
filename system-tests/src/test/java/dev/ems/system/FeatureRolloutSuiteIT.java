package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Features across the real suite: a feature set on tw-service becomes a new config version in SC; a
 * FAILED report for the rollout's change pauses the rollout; the compacted topic's newest record
 * per device is what SC rendered with and what tw-service holds.
 */
class FeatureRolloutSuiteIT {

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
  void featureChangeBecomesANewConfigVersionAndAFailedReportPausesARollout() throws Exception {
    String serial = "FEAT-" + UUID.randomUUID();
    var created =
        send(
            "POST",
            "sc-service",
            "/api/v1/devices",
            "{\"serial\":\"" + serial + "\",\"model\":\"ow-x86\",\"name\":\"branch-feat\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String deviceId = json.readTree(created.body()).get("id").asString();
    String configs = "/api/v1/devices/" + deviceId + "/configs/";
    var accepted =
        send(
            "POST",
            "sc-service",
            "/api/v1/devices/" + deviceId + "/config-requests",
            "{\"variables\":{}}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> send("GET", "sc-service", configs + "1", null).statusCode() == 200);
    assertThat(send("GET", "sc-service", configs + "1", null).body())
        .doesNotContain("ntp.feature.example");
    // the device enrolls through device-api and pki-service and runs version 1
    var device =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), serial, "X-SSL-Client-Cert");
    String token = json.readTree(created.body()).get("bootstrapToken").asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> device.enroll(token) == 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> device.fetchConfig() == 200);
    assertThat(device.config().version()).isEqualTo(1);

    // tw-service learns the device from SC's events, then the operator enables NTP/DNS.
    String features = "/api/v1/devices/" + deviceId + "/features";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> send("GET", "tw-service", features, null).statusCode() == 200);
    var put =
        send(
            "PUT",
            "tw-service",
            features + "/ntp-dns",
            "{\"params\":{\"ntp_servers\":[\"ntp.feature.example\"],\"timezone\":\"Europe/Vienna\"}}");
    assertThat(put.statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> send("GET", "sc-service", configs + "2", null).statusCode() == 200);
    JsonNode version = json.readTree(send("GET", "sc-service", configs + "2", null).body());
    assertThat(version.get("files").toString())
        .contains("ntp.feature.example")
        .contains("Europe/Vienna");
    // ... and device-api serves the new version to the device
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> device.fetchConfig() == 200 && device.config().version() == 2);
    assertThat(device.config().bundle().toString()).contains("ntp.feature.example");

    // SC rendered with exactly the set tw-service holds, which is the topic's newest record.
    JsonNode twSet = json.readTree(send("GET", "tw-service", features, null).body());
    assertThat(version.at("/inputs/features/ntp-dns")).isEqualTo(twSet.at("/features/0/params"));
    DeviceFeaturesChanged newest = newestOnTopic(UUID.fromString(deviceId), twSet);
    JsonNode published = json.valueToTree(newest.features().get("ntp-dns").params());
    assertThat(published).isEqualTo(version.at("/inputs/features/ntp-dns"));

    // A rollout whose only device reports FAILED pauses at the threshold of 0.
    var rollout =
        send(
            "POST",
            "tw-service",
            "/api/v1/rollouts",
            "{\"featureKey\":\"firewall\",\"action\":\"ENABLE\",\"params\":{\"firewall_rules\":"
                + "[{\"name\":\"Allow-SSH\",\"proto\":\"tcp\",\"dest_port\":\"22\"}]},"
                + "\"selector\":{\"deviceIds\":[\""
                + deviceId
                + "\"]},\"waveSize\":1,\"failureThreshold\":0}");
    assertThat(rollout.statusCode()).as(rollout.body()).isEqualTo(201);
    String rolloutUrl = rollout.headers().firstValue("Location").orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> send("GET", "sc-service", configs + "3", null).statusCode() == 200);
    JsonNode v3 = json.readTree(send("GET", "sc-service", configs + "3", null).body());
    assertThat(v3.get("files").toString()).contains("Allow-SSH");
    // the device fetches version 3 and reports through device-api that applying it failed
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> device.fetchConfig() == 200 && device.config().version() == 3);
    assertThat(device.reportApply(false, "uci commit failed")).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode r = json.readTree(send("GET", "tw-service", rolloutUrl, null).body());
              assertThat(r.get("status").asString()).isEqualTo("PAUSED");
              assertThat(r.at("/devices/0/status").asString()).isEqualTo("FAILED");
            });
  }

  private static DeviceFeaturesChanged newestOnTopic(UUID deviceId, JsonNode twSet) {
    long revision = twSet.get("revision").asLong();
    DeviceFeaturesChanged[] newest = new DeviceFeaturesChanged[1];
    TestEvents.read(
        Topics.TW_DEVICE_FEATURES,
        records -> {
          for (var record : records) {
            var e = TestEvents.decodeOrNull(record, DeviceFeaturesChanged.class);
            if (e != null
                && e.payload().deviceId().equals(deviceId)
                && (newest[0] == null || e.payload().revision() > newest[0].revision())) {
              newest[0] = e.payload();
            }
          }
          return newest[0] != null && newest[0].revision() == revision;
        },
        Duration.ofSeconds(30));
    assertThat(newest[0]).isNotNull();
    assertThat(newest[0].revision()).isEqualTo(revision);
    return newest[0];
  }

  private static HttpResponse<String> send(String method, String service, String path, String body)
      throws Exception {
    return SuiteHttp.send(suite, method, service, path, body);
  }
}
