package dev.ems.diagnostic.fleet;

import static dev.ems.diagnostic.Fixtures.ADMIN;
import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ApiKeyIssued;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import dev.ems.embedded.TestEvents;
import dev.ems.platform.security.ApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Drift: heartbeats name the bundle the device runs; diagnostics compares it with the last applied
 * and the latest published bundle without waiting for a report.
 */
@DiagnosticIntegrationTest
class ConfigDriftIT {

  static final String A = "a1".repeat(32);
  static final String B = "b2".repeat(32);
  static final String X = "e3".repeat(32);
  static final String DRIFT = "CONFIG_DRIFT";

  @Autowired MockMvc mvc;

  @Test
  void aHeartbeatRunningAnUnexpectedBundleOpensADriftAlertAndAnExpectedOneResolvesIt()
      throws Exception {
    UUID device = Fixtures.device(mvc);
    publish(Fixtures.TENANT, device, 1, A);
    awaitHealth(device, "$.config.desiredVersion", 1);
    Instant t = TestClock.now();
    beat(Fixtures.TENANT, device, t, A);
    beat(Fixtures.TENANT, device, t.plusSeconds(1), A); // steady: the fast path
    awaitHealth(device, "$.lastSeen", t.plusSeconds(1).toString());
    health(device, "$.health", "OK");

    beat(Fixtures.TENANT, device, t.plusSeconds(2), X);
    awaitHealth(device, "$.health", "WARNING");
    health(
        device,
        "$.reasons[0]",
        "config out of sync: device runs bundle e3e3e3e3e3e3, expected a1a1a1a1a1a1 (v1"
            + " published)");
    health(device, "$.config.runningSha", X);
    health(device, "$.configSync", "OUT_OF_SYNC");
    String alerts = "/api/v1/alerts?status=ALL&deviceId=" + device;
    mvc.perform(get(alerts).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].condition").value(DRIFT))
        .andExpect(jsonPath("$.items[0].severity").value("WARNING"))
        .andExpect(jsonPath("$.items[0].status").value("OPEN"));

    // still drifted: the device stays listed with the time it started
    beat(Fixtures.TENANT, device, t.plusSeconds(3), X);
    awaitHealth(device, "$.lastSeen", t.plusSeconds(3).toString());
    String mine = "$.items[?(@.deviceId == '" + device + "')]";
    mvc.perform(get("/api/v1/fleet/drift?size=500").header("Authorization", ADMIN))
        .andExpect(status().isOk())
        .andExpect(jsonPath(mine + ".runningSha").value(hasItem(X)))
        .andExpect(jsonPath(mine + ".since").value(hasItem(t.plusSeconds(2).toString())))
        .andExpect(jsonPath(mine + ".expected[0].kind").value(hasItem("PUBLISHED")))
        .andExpect(jsonPath(mine + ".expected[0].version").value(hasItem(1)))
        .andExpect(jsonPath(mine + ".expected[0].sha256").value(hasItem(A)));

    // back on the expected bundle: healthy, off the list, the alert clears and resolves
    beat(Fixtures.TENANT, device, t.plusSeconds(4), A);
    awaitHealth(device, "$.health", "OK");
    health(device, "$.config.driftSince", null);
    health(device, "$.configSync", "IN_SYNC");
    mvc.perform(get("/api/v1/fleet/drift?size=500").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.items[*].deviceId").value(not(hasItem(device.toString()))));
    mvc.perform(get(alerts).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.items[0].clearSince").value(notNullValue()));
    for (int minute = 1; minute <= 6; minute++) {
      TestClock.advance(Duration.ofMinutes(1));
      beat(Fixtures.TENANT, device, TestClock.now(), A);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get(alerts).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.total").value(1))
                    .andExpect(jsonPath("$.items[0].status").value("RESOLVED")));
  }

  @Test
  void aDeviceThatReportsAVersionAppliedButKeepsRunningTheOldOneIsCaughtByItsHeartbeats()
      throws Exception {
    UUID device = Fixtures.device(mvc);
    Instant t = TestClock.now();
    publish(Fixtures.TENANT, device, 1, A);
    report(device, 1, A, t);
    awaitHealth(device, "$.config.appliedVersion", 1);
    beat(Fixtures.TENANT, device, t.plusSeconds(1), A);
    awaitHealth(device, "$.health", "OK");

    publish(Fixtures.TENANT, device, 2, B);
    report(device, 2, B, t.plusSeconds(10));
    awaitHealth(device, "$.config.appliedVersion", 2);
    // received before the APPLIED report: judged against what it could not know, so not judged
    beat(Fixtures.TENANT, device, t.plusSeconds(5), A);
    awaitHealth(device, "$.lastSeen", t.plusSeconds(5).toString());
    health(device, "$.health", "OK");
    health(device, "$.config.driftSince", null);

    // received after it, still on the old bundle (the stored running sha is the same one)
    beat(Fixtures.TENANT, device, t.plusSeconds(11), A);
    awaitHealth(device, "$.health", "WARNING");
    health(
        device,
        "$.reasons[0]",
        "config out of sync: device runs bundle a1a1a1a1a1a1, expected b2b2b2b2b2b2 (v2"
            + " applied)");
    health(device, "$.config.driftSince", t.plusSeconds(11).toString());
  }

  @Test
  void heartbeatsWithoutARunningShaAreNotJudged() throws Exception {
    UUID device = Fixtures.device(mvc);
    publish(Fixtures.TENANT, device, 1, A);
    awaitHealth(device, "$.config.desiredVersion", 1);
    Instant t = TestClock.now();
    beat(Fixtures.TENANT, device, t, X);
    awaitHealth(device, "$.health", "WARNING");

    // the same device no longer says what it runs (e.g. an older agent): no verdict either way
    beat(Fixtures.TENANT, device, t.plusSeconds(1), null);
    beat(Fixtures.TENANT, device, t.plusSeconds(2), null);
    awaitHealth(device, "$.lastSeen", t.plusSeconds(2).toString());
    health(device, "$.health", "OK");
    health(device, "$.config.runningSha", null);
    health(device, "$.config.driftSince", null);
    health(device, "$.configSync", "UNKNOWN");
    mvc.perform(get("/api/v1/fleet/drift?size=500").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.items[*].deviceId").value(not(hasItem(device.toString()))));
  }

  @Test
  void theDriftListShowsOnlyTheCallersTenant() throws Exception {
    String globexKey = ApiKeys.generate();
    UUID keyId = UUID.randomUUID();
    TestEvents.publish(
        Topics.SC_API_KEYS,
        EventEnvelope.of(
            "/test",
            "globex",
            keyId.toString(),
            new ApiKeyIssued(
                keyId, "globex-viewer", ApiKeys.hash(globexKey), "VIEWER", Instant.now(), null)));
    UUID ours = Fixtures.device(mvc);
    UUID theirs = UUID.randomUUID();
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/test",
            "globex",
            theirs.toString(),
            new DeviceCreated(theirs, "SN-" + theirs, "m", "n", Instant.now())));
    publish(Fixtures.TENANT, ours, 1, A);
    publish("globex", theirs, 1, A);
    String globex = "Bearer " + globexKey;
    // only a heartbeat marks drift (ConfigState): each device's publication must be in before its
    // heartbeat, and the two devices' events are on different partitions
    awaitHealth(ours, "$.config.desiredVersion", 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(
                        get("/api/v1/devices/" + theirs + "/health")
                            .header("Authorization", globex))
                    .andExpect(jsonPath("$.config.desiredVersion").value(1)));
    Instant t = TestClock.now();
    beat(Fixtures.TENANT, ours, t, X);
    beat("globex", theirs, t, X);
    awaitHealth(ours, "$.health", "WARNING");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/fleet/drift").header("Authorization", globex))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.total").value(1))
                    .andExpect(jsonPath("$.items[0].deviceId").value(theirs.toString()))
                    .andExpect(jsonPath("$.items[0].runningSha").value(X)));

    mvc.perform(get("/api/v1/fleet/drift?size=500").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.items[*].deviceId").value(hasItem(ours.toString())))
        .andExpect(jsonPath("$.items[*].deviceId").value(not(hasItem(theirs.toString()))));
    mvc.perform(get("/api/v1/fleet/drift?size=0").header("Authorization", ADMIN))
        .andExpect(status().is4xxClientError());
    mvc.perform(get("/api/v1/fleet/drift")).andExpect(status().isUnauthorized());
  }

  private static void publish(String tenant, UUID device, int version, String sha) {
    TestEvents.publish(
        Topics.SC_CONFIGS,
        EventEnvelope.of(
            "/test",
            tenant,
            device.toString(),
            new ConfigPublished(
                device, version, sha, List.of(), UUID.randomUUID(), Instant.now(), null)));
  }

  /** An APPLIED report as device-api puts it on Kafka, received (envelope time) at {@code at}. */
  private static void report(UUID device, int version, String sha, Instant at) {
    var payload = new ConfigStatusReported(device, version, sha, "APPLIED", null, at);
    TestEvents.publish(
        Topics.DEVICE_REPORTS,
        new EventEnvelope<>(
            UUID.randomUUID().toString(),
            EventEnvelope.typeOf(ConfigStatusReported.class),
            "/device-api",
            at,
            device.toString(),
            Fixtures.TENANT,
            payload));
  }

  private static void beat(String tenant, UUID device, Instant at, String sha) {
    HeartbeatReceived plain = Fixtures.heartbeat(device, at, Map.of("ems-mgmt", "ESTABLISHED"));
    TestEvents.publish(
        Topics.DEVICE_TELEMETRY,
        EventEnvelope.of(
            "/test",
            tenant,
            device.toString(),
            new HeartbeatReceived(
                device,
                plain.sentAt(),
                plain.receivedAt(),
                plain.uptimeSeconds(),
                plain.firmware(),
                plain.tunnels(),
                sha)));
  }

  private void awaitHealth(UUID device, String path, Object value) {
    await().atMost(WAIT).untilAsserted(() -> health(device, path, value));
  }

  private void health(UUID device, String path, Object value) throws Exception {
    mvc.perform(get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
        .andExpect(value == null ? jsonPath(path).value(nullValue()) : jsonPath(path).value(value));
  }
}
