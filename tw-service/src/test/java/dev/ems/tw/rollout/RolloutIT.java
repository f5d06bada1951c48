package dev.ems.tw.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.tw.TwApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class RolloutIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  TwApi api;

  @BeforeEach
  void api() {
    api = new TwApi(mvc, json);
  }

  private List<UUID> devices(String tag, int n) throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(api.device("openwrt-default", null, List.of(tag, "fleet")));
    }
    // PostgreSQL orders uuids bytewise, like their text; UUID.compareTo is signed.
    return ids.stream().sorted(java.util.Comparator.comparing(UUID::toString)).toList();
  }

  /** SC publishes version 2 for the device, which then reports on it. */
  private static void report(UUID device, String status) {
    published(device, 2, "sha-2");
    report(device, 2, "sha-2", status, Instant.now());
  }

  private static void published(UUID device, int version, String sha) {
    published(device, version, sha, null);
  }

  private static void published(UUID device, int version, String sha, String cause) {
    TestEvents.publish(
        Topics.SC_CONFIGS,
        EventEnvelope.of(
            "/sc-service/configs",
            "default",
            device.toString(),
            new ConfigPublished(
                device,
                version,
                sha,
                List.of(new ConfigFile("etc/config/system", "v" + version)),
                UUID.randomUUID(),
                Instant.now(),
                cause)));
  }

  private static void report(UUID device, int version, String sha, String status, Instant at) {
    TestEvents.publish(
        Topics.DEVICE_REPORTS,
        EventEnvelope.of(
            "/device-api/reports",
            "default",
            device.toString(),
            new ConfigStatusReported(
                device, version, sha, status, status.equals("FAILED") ? "uci broke" : null, at)));
  }

  private Map<String, Object> ntpRollout(String tag, int waveSize, int threshold) {
    return Map.of(
        "featureKey",
        "ntp-dns",
        "action",
        "ENABLE",
        "params",
        Map.of("ntp_servers", List.of("ntp." + tag + ".example")),
        "selector",
        Map.of("tags", List.of(tag)),
        "waveSize",
        waveSize,
        "failureThreshold",
        threshold,
        // Health watch windows have their own test (RolloutRollbackIT).
        "watchWindowSeconds",
        0);
  }

  private JsonNode awaitStatus(String url, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              last[0] = api.get(url).body();
              return last[0].get("status").asString().equals(status);
            });
    return last[0];
  }

  private String deviceStatus(JsonNode rollout, UUID device) {
    return rollout
        .get("devices")
        .valueStream()
        .filter(d -> d.get("deviceId").asString().equals(device.toString()))
        .findFirst()
        .orElseThrow()
        .get("status")
        .asString();
  }

  @Test
  void wavesProceedWhenTheirDevicesReportApplied() throws Exception {
    String tag = "wave-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 3);

    var created = api.post("/api/v1/rollouts", ntpRollout(tag, 2, 0));
    String url = created.header("Location");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("waveCount").asInt()).isEqualTo(2);
    assertThat(deviceStatus(created.body(), ids.get(0))).isEqualTo("WAITING");
    assertThat(deviceStatus(created.body(), ids.get(2))).isEqualTo("PENDING");
    assertThat(api.get("/api/v1/devices/" + ids.get(2) + "/features").body().get("features").size())
        .as("second wave untouched")
        .isZero();

    report(ids.get(0), "APPLIED");
    report(ids.get(1), "APPLIED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deviceStatus(api.get(url).body(), ids.get(2)).equals("WAITING"));
    report(ids.get(2), "APPLIED");
    JsonNode done = awaitStatus(url, "COMPLETED");

    assertThat(done.at("/counts/APPLIED").asInt()).isEqualTo(3);
    assertThat(
            api.get("/api/v1/devices/" + ids.get(2) + "/features")
                .body()
                .at("/features/0/params/ntp_servers/0")
                .asString())
        .isEqualTo("ntp." + tag + ".example");
  }

  @Test
  void rolloutPausesWhenFailuresPassTheThresholdAndResumesAndCancels() throws Exception {
    String tag = "fail-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 4);
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, 2, 0)).header("Location");

    report(ids.get(0), "FAILED");
    JsonNode paused = awaitStatus(url, "PAUSED");

    assertThat(paused.get("pauseReason").asString()).contains("threshold");
    assertThat(deviceStatus(paused, ids.get(0))).isEqualTo("FAILED");
    assertThat(deviceStatus(paused, ids.get(2))).isEqualTo("PENDING");
    report(ids.get(1), "APPLIED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deviceStatus(api.get(url).body(), ids.get(1)).equals("APPLIED"));
    assertThat(api.get(url).body().get("status").asString())
        .as("a paused rollout starts no wave")
        .isEqualTo("PAUSED");

    JsonNode resumed = api.post(url + "/resume", null).body();
    assertThat(resumed.get("status").asString()).isEqualTo("RUNNING");
    assertThat(deviceStatus(resumed, ids.get(2))).isEqualTo("WAITING");
    var cancelled = api.post(url + "/cancel", null);
    var again = api.post(url + "/resume", null);

    assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("rollout-state-invalid");
  }

  @Test
  void deviceThatNeverReportsTimesOutIntoAFailure() throws Exception {
    String tag = "silent-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 1);
    var body = new java.util.HashMap<>(ntpRollout(tag, 1, 0));
    body.put("waveTimeoutSeconds", 1);
    String url = api.post("/api/v1/rollouts", body).header("Location");

    JsonNode paused = awaitStatus(url, "PAUSED");

    assertThat(deviceStatus(paused, ids.get(0))).isEqualTo("FAILED");
    assertThat(paused.at("/devices/0/error").asString()).contains("timeout");
  }

  @Test
  void operatorPausesARunningRollout() throws Exception {
    String tag = "pause-" + UUID.randomUUID();
    devices(tag, 2);
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, 1, 0)).header("Location");

    var paused = api.post(url + "/pause", null);
    var twice = api.post(url + "/pause", null);

    assertThat(paused.body().get("status").asString()).isEqualTo("PAUSED");
    assertThat(twice.status()).isEqualTo(409);
  }

  @Test
  void badRolloutsAreRefusedAndNothingIsStarted() throws Exception {
    String tag = "bad-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    var unknown = new java.util.HashMap<>(ntpRollout(tag, 1, 0));
    unknown.put("featureKey", "no-such");
    var badParams = new java.util.HashMap<>(ntpRollout(tag, 1, 0));
    badParams.put("params", Map.of("ntp_servers", List.of()));
    var nobody = ntpRollout("nobody-" + UUID.randomUUID(), 1, 0);
    var noWave = new java.util.HashMap<>(ntpRollout(tag, 1, 0));
    noWave.put("waveSize", 0);

    var r1 = api.post("/api/v1/rollouts", unknown);
    var r2 = api.post("/api/v1/rollouts", badParams);
    var r3 = api.post("/api/v1/rollouts", nobody);
    var r4 = api.post("/api/v1/rollouts", noWave);

    assertThat(r1.code()).isEqualTo("feature-not-found");
    assertThat(r1.body().get("field").asString()).isEqualTo("featureKey");
    assertThat(r2.code()).isEqualTo("feature-params-invalid");
    assertThat(r2.body().get("field").asString()).isEqualTo("params.ntp_servers");
    assertThat(r3.status()).isEqualTo(422);
    assertThat(r3.body().get("field").asString()).isEqualTo("selector");
    assertThat(r4.body().get("field").asString()).isEqualTo("waveSize");
    assertThat(api.get("/api/v1/devices/" + device + "/features").body().get("revision").asLong())
        .isZero();
    assertThat(api.get("/api/v1/rollouts/" + UUID.randomUUID()).code())
        .isEqualTo("rollout-not-found");
  }

  @Test
  void onlyTheExactVersionProducedForTheDeviceAdvancesTheWave() throws Exception {
    String tag = "exact-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 2);
    UUID first = ids.get(0);
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, 1, 0)).header("Location");

    // Before SC produced anything: the version the device runs now, however fresh its clock.
    report(first, 4, "sha-4", "APPLIED", Instant.now().plusSeconds(3600));
    published(first, 5, "sha-5");
    // The older version again, an unknown bundle of the right number, and a later version.
    report(first, 4, "sha-4", "APPLIED", Instant.now());
    report(first, 5, "sha-other", "APPLIED", Instant.now());
    published(first, 6, "sha-6");
    report(first, 6, "sha-6", "FAILED", Instant.now());
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode r = api.get(url).body();
              assertThat(deviceStatus(r, first)).isEqualTo("WAITING");
              assertThat(deviceStatus(r, ids.get(1))).isEqualTo("PENDING");
            });

    // The exact version, reported with a clock from long before the rollout.
    report(first, 5, "sha-5", "APPLIED", Instant.parse("2001-01-01T00:00:00Z"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deviceStatus(api.get(url).body(), ids.get(1)).equals("WAITING"));
    JsonNode r = api.get(url).body();
    assertThat(deviceStatus(r, first)).isEqualTo("APPLIED");
    assertThat(r.at("/counts/FAILED").asInt()).isZero();
  }

  @Test
  void aReportThatOvertakesItsVersionCountsOnceTheVersionArrives() throws Exception {
    String tag = "overtake-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, 1, 0)).header("Location");

    report(device, 3, "sha-3", "APPLIED", Instant.now());
    published(device, 3, "sha-3");

    JsonNode done = awaitStatus(url, "COMPLETED");
    assertThat(deviceStatus(done, device)).isEqualTo("APPLIED");
  }

  @Test
  void aRedeliveredOlderReportDoesNotHideTheNewerOneThatOvertookItsVersion() throws Exception {
    String tag = "redelivered-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, 1, 0)).header("Location");

    // the device applies the change's version before tw-service consumed it, then a report of the
    // version it ran before is delivered again (a retry, a redelivery)
    report(device, 3, "sha-3", "APPLIED", Instant.now());
    report(device, 2, "sha-2", "APPLIED", Instant.now());
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(deviceStatus(api.get(url).body(), device)).isEqualTo("WAITING"));
    published(device, 3, "sha-3");

    JsonNode done = awaitStatus(url, "COMPLETED");
    assertThat(deviceStatus(done, device)).isEqualTo("APPLIED");
  }

  @Test
  void aVersionPublishedForAnotherCauseIsNotTheOneTheChangeProduced() throws Exception {
    String tag = "cause-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, 1, 0)).header("Location");
    long revision =
        api.get("/api/v1/devices/" + device + "/features").body().get("revision").asLong();

    // Between the change and its version: an operator's request and the set before the change.
    published(device, 5, "sha-5", "request:" + UUID.randomUUID());
    report(device, 5, "sha-5", "APPLIED", Instant.now());
    published(device, 6, "sha-6", "features-" + (revision - 1));
    report(device, 6, "sha-6", "APPLIED", Instant.now());
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(deviceStatus(api.get(url).body(), device)).isEqualTo("WAITING"));

    published(device, 7, "sha-7", "features-" + revision);
    report(device, 7, "sha-7", "APPLIED", Instant.now());

    JsonNode done = awaitStatus(url, "COMPLETED");
    assertThat(deviceStatus(done, device)).isEqualTo("APPLIED");
  }
}
