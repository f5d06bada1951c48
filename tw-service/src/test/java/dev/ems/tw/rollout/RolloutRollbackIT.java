package dev.ems.tw.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.tw.TwApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Health watch and auto-rollback of rollouts, end to end on embedded Kafka and PostgreSQL: the test
 * publishes what SC (ConfigPublished), device-api (ConfigStatusReported) and diagnostic-service
 * (HealthChanged) would.
 */
@SpringBootTest
@AutoConfigureMockMvc
class RolloutRollbackIT {

  private static final String BEFORE = "ntp.before.example";

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;

  @Value("${spring.kafka.consumer.group-id}")
  String group;

  TwApi api;

  @BeforeEach
  void api() {
    api = new TwApi(mvc, json);
  }

  @Test
  void criticalHealthInsideTheWindowRollsTheDeviceBackOnceAndPausesTheRollout() throws Exception {
    String tag = "rollback-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 2);
    UUID device = ids.get(0);
    for (UUID id : ids) {
      setNtp(id, BEFORE);
    }
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, "ENABLE", 60)).header("Location");
    long changed = revision(device);
    applied(device, 2, "sha-2", changed);
    JsonNode watched = awaitDevice(url, device, "APPLIED");
    assertThat(watched.get("watchUntil").isNull()).isFalse();
    assertThat(api.get(url).body().get("watchWindowSeconds").asLong()).isEqualTo(60);

    var drop = health(device, "default", "CRITICAL", List.of("offline: no heartbeat for 95 s"));
    TestEvents.publish(Topics.DIAG_HEALTH, drop);
    TestEvents.publish(Topics.DIAG_HEALTH, drop);

    JsonNode paused = awaitStatus(url, "PAUSED");
    assertThat(paused.get("pauseReason").asString())
        .contains("rolled back")
        .contains(device.toString());
    assertThat(paused.get("rolledBack").valueStream().map(JsonNode::asString).toList())
        .containsExactly(device.toString());
    JsonNode rolling = deviceOf(paused, device);
    assertThat(rolling.get("status").asString()).isEqualTo("ROLLING_BACK");
    assertThat(rolling.at("/healthReasons/0").asString()).startsWith("offline");
    assertThat(rolling.get("healthDroppedAt").isNull()).isFalse();
    assertThat(deviceOf(paused, ids.get(1)).get("status").asString()).isEqualTo("PENDING");
    var restored =
        TestEvents.awaitEvent(
            Topics.TW_DEVICE_FEATURES,
            DeviceFeaturesChanged.class,
            e -> e.payload().deviceId().equals(device) && e.payload().revision() == changed + 1,
            Duration.ofSeconds(30));
    assertThat(restored.payload().features().get("ntp-dns").params())
        .isEqualTo(Map.of("ntp_servers", List.of(BEFORE)));

    // SC renders the set from before again: the pre-rollout configuration under a new number.
    applied(device, 3, "sha-1", changed + 1);

    JsonNode back = awaitDevice(url, device, "ROLLED_BACK");
    assertThat(back.get("rolledBackAt").isNull()).isFalse();
    assertThat(Instant.parse(back.get("rolledBackAt").asString()))
        .isAfterOrEqualTo(Instant.parse(back.get("rollbackStartedAt").asString()));
    // The redelivered drop, and one delivered again much later, roll nothing back a second time.
    TestEvents.publish(Topics.DIAG_HEALTH, drop);
    awaitConsumed(Topics.DIAG_HEALTH, drop.id(), 3);
    assertThat(revision(device)).isEqualTo(changed + 1);
    JsonNode after = deviceOf(api.get(url).body(), device);
    assertThat(after.get("status").asString()).isEqualTo("ROLLED_BACK");
    assertThat(after.get("healthDroppedAt")).isEqualTo(rolling.get("healthDroppedAt"));

    JsonNode resumed = api.post(url + "/resume", null).body();
    assertThat(resumed.get("status").asString()).isEqualTo("RUNNING");
    assertThat(deviceOf(resumed, ids.get(1)).get("status").asString()).isEqualTo("WAITING");
    assertThat(deviceOf(resumed, device).get("status").asString()).isEqualTo("ROLLED_BACK");
    assertThat(ntpServer(device)).isEqualTo(BEFORE);
  }

  @Test
  void aDeviceThatNeverAppliesItsRollbackFailsAfterTheWaveTimeout() throws Exception {
    String tag = "stuck-rollback-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    setNtp(device, BEFORE);
    Map<String, Object> body = ntpRollout(tag, "ENABLE", 60);
    body.put("waveTimeoutSeconds", 5);
    String url = api.post("/api/v1/rollouts", body).header("Location");
    applied(device, 2, "sha-2", revision(device));
    awaitDevice(url, device, "APPLIED");

    TestEvents.publish(
        Topics.DIAG_HEALTH, health(device, "default", "CRITICAL", List.of("TUNNEL_DOWN:ems-mgmt")));
    awaitDevice(url, device, "ROLLING_BACK");

    // the rollback's version is never reported: the device fails, it does not roll back for good
    JsonNode failed = awaitDevice(url, device, "FAILED");
    assertThat(failed.get("error").asString()).startsWith("rollback failed").contains("timeout");
    assertThat(failed.get("rolledBackAt").isNull()).isTrue();
    assertThat(api.get(url).body().get("status").asString()).isEqualTo("PAUSED");
  }

  @Test
  void waveWaitsForItsWindowThenStartsTheNextAndLaterDropsChangeNothing() throws Exception {
    String tag = "window-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 2);
    UUID first = ids.get(0);
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, "ENABLE", 2)).header("Location");
    long changed = revision(first);
    applied(first, 2, "sha-2", changed);
    JsonNode watched = awaitDevice(url, first, "APPLIED");
    Instant until = Instant.parse(watched.get("watchUntil").asString());
    Instant appliedAt = Instant.parse(watched.get("appliedAt").asString());

    awaitDevice(url, ids.get(1), "WAITING");

    JsonNode next = api.get(url).body();
    assertThat(until).isEqualTo(appliedAt.plusSeconds(2));
    assertThat(next.get("currentWave").asInt()).isEqualTo(1);
    assertThat(Instant.now()).as("the wave waited for its window").isAfterOrEqualTo(until);

    var late = health(first, "default", "CRITICAL", List.of("tunnel mgmt-ipsec down"));
    TestEvents.publish(Topics.DIAG_HEALTH, late);
    awaitConsumed(Topics.DIAG_HEALTH, late.id(), 1);

    JsonNode r = api.get(url).body();
    assertThat(r.get("status").asString()).isEqualTo("RUNNING");
    assertThat(deviceOf(r, first).get("status").asString()).isEqualTo("APPLIED");
    assertThat(r.get("rolledBack").size()).isZero();
    assertThat(revision(first)).isEqualTo(changed);
  }

  @Test
  void disabledFeatureComesBackAndOnlyTheEventsTenantAndCriticalCount() throws Exception {
    String tag = "disable-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    setNtp(device, BEFORE);
    String url = api.post("/api/v1/rollouts", ntpRollout(tag, "DISABLE", 60)).header("Location");
    long changed = revision(device);
    assertThat(api.get("/api/v1/devices/" + device + "/features").body().get("features").size())
        .isZero();
    applied(device, 4, "sha-4", changed);
    awaitDevice(url, device, "APPLIED");

    // Same device, same partition: consumed in this order, so the last one is the signal that the
    // others were consumed too.
    TestEvents.publish(
        Topics.DIAG_HEALTH, health(device, "other-tenant", "CRITICAL", List.of("offline: x")));
    TestEvents.publish(
        Topics.DIAG_HEALTH, health(device, "default", "WARNING", List.of("cpu load 95 %")));
    TestEvents.publish(
        Topics.DIAG_HEALTH, health(device, "default", "CRITICAL", List.of("tunnel down")));

    JsonNode paused = awaitStatus(url, "PAUSED");
    assertThat(deviceOf(paused, device).get("healthReasons").valueStream().toList())
        .extracting(JsonNode::asString)
        .containsExactly("tunnel down");
    assertThat(revision(device)).as("one rollback").isEqualTo(changed + 1);
    assertThat(ntpServer(device)).isEqualTo(BEFORE);
  }

  @Test
  void dropWhileStillWaitingRollsBackOnceAppliedUnlessTheDeviceRecovered() throws Exception {
    String tag = "early-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 2);
    UUID broken = ids.get(0);
    UUID recovered = ids.get(1);
    var body = new HashMap<>(ntpRollout(tag, "ENABLE", 60));
    body.put("waveSize", 2);
    String url = api.post("/api/v1/rollouts", body).header("Location");
    long changed = revision(broken);

    TestEvents.publish(
        Topics.DIAG_HEALTH, health(broken, "default", "CRITICAL", List.of("tunnel down")));
    TestEvents.publish(
        Topics.DIAG_HEALTH, health(recovered, "default", "CRITICAL", List.of("offline: 95 s")));
    var ok = health(recovered, "default", "OK", List.of());
    TestEvents.publish(Topics.DIAG_HEALTH, ok);
    awaitConsumed(Topics.DIAG_HEALTH, ok.id(), 1);
    applied(broken, 2, "sha-2", changed);
    applied(recovered, 2, "sha-2", revision(recovered));

    awaitDevice(url, broken, "ROLLING_BACK");
    awaitDevice(url, recovered, "APPLIED");
    JsonNode r = api.get(url).body();
    assertThat(r.get("status").asString()).isEqualTo("PAUSED");
    assertThat(r.get("rolledBack").valueStream().map(JsonNode::asString).toList())
        .containsExactly(broken.toString());
    assertThat(api.get("/api/v1/devices/" + broken + "/features").body().get("features").size())
        .as("enabled by the rollout, so removed again")
        .isZero();
    assertThat(revision(broken)).isEqualTo(changed + 1);
    assertThat(ntpServer(recovered)).isEqualTo("ntp." + tag + ".example");
  }

  @Test
  void republishedVersionTheDeviceRunsCountsAtOnceOtherwiseTheReportIsAwaited() throws Exception {
    String tag = "same-" + UUID.randomUUID();
    List<UUID> ids = devices(tag, 2);
    UUID runs = ids.get(0);
    UUID other = ids.get(1);
    report(other, 4, "sha-4", "APPLIED");
    var running = report(runs, 5, "sha-5", "APPLIED");
    // Consumed before the rollout: the device sends no further report for the version it runs.
    awaitConsumed(Topics.DEVICE_REPORTS, running.id(), 1);
    var body = new HashMap<>(ntpRollout(tag, "ENABLE", 0));
    body.put("waveSize", 2);
    String url = api.post("/api/v1/rollouts", body).header("Location");

    // The change renders what each device already has: SC publishes its current version again.
    published(runs, 5, "sha-5", "features-" + revision(runs));
    var same = published(other, 6, "sha-6", "features-" + revision(other));

    awaitDevice(url, runs, "APPLIED");
    awaitConsumed(Topics.SC_CONFIGS, same.id(), 1);
    assertThat(deviceOf(api.get(url).body(), other).get("status").asString())
        .as("runs sha-4, not sha-6: waits for its report")
        .isEqualTo("WAITING");
    report(other, 6, "sha-6", "APPLIED");
    awaitStatus(url, "COMPLETED");
  }

  @Test
  void watchWindowOutOfBoundsIsRefusedAndNothingStored() throws Exception {
    String tag = "badwatch-" + UUID.randomUUID();
    UUID device = devices(tag, 1).getFirst();
    int before = api.get("/api/v1/rollouts").body().size();
    var negative = new HashMap<>(ntpRollout(tag, "ENABLE", -1));
    var tooLong = new HashMap<>(ntpRollout(tag, "ENABLE", 86_401));

    var r1 = api.post("/api/v1/rollouts", negative);
    var r2 = api.post("/api/v1/rollouts", tooLong);

    for (var r : List.of(r1, r2)) {
      assertThat(r.status()).isEqualTo(422);
      assertThat(r.code()).isEqualTo("validation-failed");
      assertThat(r.body().get("field").asString()).isEqualTo("watchWindowSeconds");
    }
    assertThat(api.get("/api/v1/rollouts").body().size()).isEqualTo(before);
    assertThat(revision(device)).isZero();
  }

  // --- what the other services would publish ---

  private static EventEnvelope<HealthChanged> health(
      UUID device, String tenant, String level, List<String> reasons) {
    return EventEnvelope.of(
        "/diagnostic-service/health",
        tenant,
        device.toString(),
        new HealthChanged(device, level, "OK", reasons, Instant.now()));
  }

  /** SC publishes the version the feature set of {@code revision} made; the device applies it. */
  private static void applied(UUID device, int version, String sha, long revision) {
    published(device, version, sha, "features-" + revision);
    report(device, version, sha, "APPLIED");
  }

  private static EventEnvelope<ConfigPublished> published(
      UUID device, int version, String sha, String cause) {
    var event =
        EventEnvelope.of(
            "/sc-service/configs",
            TwApi.TENANT,
            device.toString(),
            new ConfigPublished(
                device,
                version,
                sha,
                List.of(new ConfigFile("etc/config/system", "v" + version)),
                UUID.randomUUID(),
                Instant.now(),
                cause));
    TestEvents.publish(Topics.SC_CONFIGS, event);
    return event;
  }

  private static EventEnvelope<ConfigStatusReported> report(
      UUID device, int version, String sha, String status) {
    var event =
        EventEnvelope.of(
            "/device-api/reports",
            TwApi.TENANT,
            device.toString(),
            new ConfigStatusReported(device, version, sha, status, null, Instant.now()));
    TestEvents.publish(Topics.DEVICE_REPORTS, event);
    return event;
  }

  /**
   * Waits until tw-service's consumer group committed past the {@code nth} record carrying the
   * event id: the positive signal that it handled the event.
   */
  private void awaitConsumed(String topic, String eventId, int nth) throws Exception {
    List<ConsumerRecord<String, byte[]>> copies = new ArrayList<>();
    TestEvents.read(
        topic,
        records -> {
          copies.clear();
          records.stream().filter(r -> eventId.equals(ceId(r))).forEach(copies::add);
          return copies.size() >= nth;
        },
        Duration.ofSeconds(30));
    assertThat(copies).hasSizeGreaterThanOrEqualTo(nth);
    ConsumerRecord<String, byte[]> last = copies.get(nth - 1);
    TopicPartition partition = new TopicPartition(topic, last.partition());
    try (AdminClient admin =
        AdminClient.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var committed =
                    admin
                        .listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(partition);
                return committed != null && committed.offset() > last.offset();
              });
    }
  }

  private static String ceId(ConsumerRecord<String, byte[]> record) {
    Header h = record.headers().lastHeader("ce_id");
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  // --- the operator's side ---

  private List<UUID> devices(String tag, int n) throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(api.device("openwrt-default", null, List.of(tag, "fleet")));
    }
    // PostgreSQL orders uuids bytewise, like their text; UUID.compareTo is signed.
    return ids.stream().sorted(java.util.Comparator.comparing(UUID::toString)).toList();
  }

  private void setNtp(UUID device, String server) throws Exception {
    var r =
        api.put(
            "/api/v1/devices/" + device + "/features/ntp-dns",
            Map.of("params", Map.of("ntp_servers", List.of(server))));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  private long revision(UUID device) throws Exception {
    return api.get("/api/v1/devices/" + device + "/features").body().get("revision").asLong();
  }

  private String ntpServer(UUID device) throws Exception {
    return api.get("/api/v1/devices/" + device + "/features")
        .body()
        .at("/features/0/params/ntp_servers/0")
        .asString();
  }

  private static Map<String, Object> ntpRollout(String tag, String action, int watchSeconds) {
    Map<String, Object> body = new HashMap<>();
    body.put("featureKey", "ntp-dns");
    body.put("action", action);
    if (action.equals("ENABLE")) {
      body.put("params", Map.of("ntp_servers", List.of("ntp." + tag + ".example")));
    }
    body.put("selector", Map.of("tags", List.of(tag)));
    body.put("waveSize", 1);
    body.put("failureThreshold", 0);
    body.put("watchWindowSeconds", watchSeconds);
    return body;
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

  private JsonNode awaitDevice(String url, UUID device, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              last[0] = deviceOf(api.get(url).body(), device);
              return last[0].get("status").asString().equals(status);
            });
    return last[0];
  }

  private static JsonNode deviceOf(JsonNode rollout, UUID device) {
    return rollout
        .get("devices")
        .valueStream()
        .filter(d -> d.get("deviceId").asString().equals(device.toString()))
        .findFirst()
        .orElseThrow();
  }
}
