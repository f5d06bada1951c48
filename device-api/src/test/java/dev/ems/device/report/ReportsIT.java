package dev.ems.device.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.CheckResultReported;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.DeviceCommandRequested;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReportsIT {

  @LocalServerPort int port;

  @org.springframework.beans.factory.annotation.Autowired
  io.micrometer.core.instrument.MeterRegistry meters;

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.jdbc.core.simple.JdbcClient jdbc;

  DeviceApiClient api;
  UUID device;
  String cert;

  @BeforeEach
  void device() throws Exception {
    api = new DeviceApiClient(port);
    device = UUID.randomUUID();
    cert = dev.ems.device.config.ConfigFetchITSupport.enrolledDevice(device);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> api.get("/device/v1/config", cert).statusCode() == 404);
  }

  private static String heartbeat(Instant sentAt, long bytesIn) {
    return "{\"sentAt\":\""
        + sentAt
        + "\",\"uptimeSeconds\":3600,\"firmware\":\"24.10.1\","
        + "\"tunnels\":[{\"name\":\"ems-mgmt\",\"state\":\"ESTABLISHED\",\"bytesIn\":"
        + bytesIn
        + ",\"bytesOut\":2,\"packetsIn\":3,\"packetsOut\":4}]}";
  }

  private static String heartbeatAcknowledging(UUID... commands) {
    String plain = heartbeat(Instant.now(), 1);
    String ids =
        java.util.Arrays.stream(commands)
            .map(c -> "\"" + c + "\"")
            .collect(java.util.stream.Collectors.joining(","));
    return plain.substring(0, plain.length() - 1) + ",\"acknowledgedCommands\":[" + ids + "]}";
  }

  private void command(UUID command, Instant expiresAt) {
    TestEvents.publish(
        Topics.DIAG_COMMANDS,
        EventEnvelope.of(
            "/diag",
            "default",
            device.toString(),
            new DeviceCommandRequested(
                command, device, "REACHABILITY", Map.of("target", "10.0.0.1"), expiresAt)));
  }

  private void awaitHandedOut(UUID command) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 1)).body())
                    .contains(command.toString()));
  }

  @Test
  void aCommandIsHandedOutAgainUntilTheDeviceAcknowledgesIt() throws Exception {
    UUID command = UUID.randomUUID();
    command(command, Instant.now().plusSeconds(600));
    awaitHandedOut(command);

    // the response was lost on the way: the next heartbeat hands the command out again
    assertThat(api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 2)).body())
        .contains(command.toString());
    var acknowledging = api.post("/device/v1/heartbeat", cert, heartbeatAcknowledging(command));
    assertThat(acknowledging.statusCode()).isEqualTo(200);
    assertThat(acknowledging.body()).doesNotContain(command.toString());
    assertThat(api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 3)).body())
        .doesNotContain(command.toString());
  }

  @Test
  void aDeviceWithoutCommandsIsAnsweredWithoutTheDatabaseAndOneStoredByAnotherReplicaIsFound()
      throws Exception {
    double skippedBefore = lookups("skipped");
    double queriedBefore = lookups("queried");
    var beat = api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 1));
    assertThat(beat.statusCode()).isEqualTo(200);
    assertThat(beat.body()).contains("\"commands\":[]");
    assertThat(lookups("skipped")).isEqualTo(skippedBefore + 1);
    assertThat(lookups("queried")).isEqualTo(queriedBefore);

    // stored by another replica (straight into the table, no event here): the refresh finds it
    UUID command = UUID.randomUUID();
    jdbc.sql(
            "insert into device_command (command_id, device_id, tenant_id, type, parameters,"
                + " expires_at) values (?, ?, 'default', 'REACHABILITY', '{}'::jsonb,"
                + " now() + interval '10 minutes')")
        .params(command, device)
        .update();
    awaitHandedOut(command);
    assertThat(lookups("queried")).isGreaterThan(queriedBefore);

    // acknowledged: the device leaves the set at a refresh, and its heartbeats skip the database
    api.post("/device/v1/heartbeat", cert, heartbeatAcknowledging(command));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              double skipped = lookups("skipped");
              api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 1));
              return lookups("skipped") > skipped;
            });
  }

  private double lookups(String database) {
    return meters.get("device_api.command.lookups").tag("database", database).counter().count();
  }

  @Test
  void aCheckResultAcknowledgesItsCommandAndOneForAnUnknownOrExpiredCommandIsRefused()
      throws Exception {
    UUID expired = UUID.randomUUID();
    UUID live = UUID.randomUUID();
    command(expired, Instant.now().minusSeconds(1));
    command(live, Instant.now().plusSeconds(600));
    // same device, same partition: once the live command is handed out the expired one is stored
    awaitHandedOut(live);

    var unknown = result(UUID.randomUUID());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"code\":\"command-not-found\"");
    var late = result(expired);
    assertThat(late.statusCode()).isEqualTo(410);
    assertThat(late.body()).contains("\"code\":\"command-expired\"");

    assertThat(result(live).statusCode()).isEqualTo(202);
    // the device's retry of a result already accepted is accepted again
    assertThat(result(live).statusCode()).isEqualTo(202);
    assertThat(api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 4)).body())
        .doesNotContain(live.toString());
    assertThat(TestEvents.read(Topics.DEVICE_REPORTS, r -> false, Duration.ofSeconds(2)))
        .noneMatch(r -> new String(r.value()).contains(expired.toString()));
  }

  private java.net.http.HttpResponse<String> result(UUID command) throws Exception {
    return api.post(
        "/device/v1/check-results",
        cert,
        "{\"commandId\":\"" + command + "\",\"status\":\"SUCCEEDED\",\"output\":\"ok\"}");
  }

  @Test
  void aHeartbeatReachesKafkaAndItsResponseCarriesPendingCommandsUntilAcknowledged()
      throws Exception {
    UUID command = UUID.randomUUID();
    TestEvents.publish(
        Topics.DIAG_COMMANDS,
        EventEnvelope.of(
            "/diag",
            "default",
            device.toString(),
            new DeviceCommandRequested(
                command,
                device,
                "TUNNEL_STATUS",
                Map.of("tunnel", "ems-mgmt"),
                Instant.now().plusSeconds(600))));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var r = api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 1));
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()).contains(command.toString()).contains("TUNNEL_STATUS");
            });
    var next = api.post("/device/v1/heartbeat", cert, heartbeatAcknowledging(command));
    assertThat(next.body()).doesNotContain(command.toString());

    var event =
        TestEvents.awaitEvent(
            Topics.DEVICE_TELEMETRY,
            HeartbeatReceived.class,
            e -> e.payload().deviceId().equals(device),
            Duration.ofSeconds(20));
    assertThat(event.payload().tunnels())
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo("ESTABLISHED"));
    assertThat(event.payload().receivedAt()).isNotNull();

    var result =
        api.post(
            "/device/v1/check-results",
            cert,
            "{\"commandId\":\"" + command + "\",\"status\":\"SUCCEEDED\",\"output\":\"up 3d\"}");
    assertThat(result.statusCode()).isEqualTo(202);
    TestEvents.awaitEvent(
        Topics.DEVICE_REPORTS,
        CheckResultReported.class,
        e -> e.payload().commandId().equals(command),
        Duration.ofSeconds(20));
  }

  private static String heartbeatRunning(String configSha256) {
    String plain = heartbeat(Instant.now(), 1);
    return plain.substring(0, plain.length() - 1) + ",\"configSha256\":" + configSha256 + "}";
  }

  @Test
  void aHeartbeatCarriesTheRunningBundlesShaToKafka() throws Exception {
    String sha = "0123456789abcdef".repeat(4);
    var r = api.post("/device/v1/heartbeat", cert, heartbeatRunning("\"" + sha + "\""));

    assertThat(r.statusCode()).isEqualTo(200);
    var event =
        TestEvents.awaitEvent(
            Topics.DEVICE_TELEMETRY,
            HeartbeatReceived.class,
            e -> e.payload().deviceId().equals(device),
            Duration.ofSeconds(20));
    assertThat(event.payload().configSha256()).isEqualTo(sha);
  }

  @Test
  void aHeartbeatWithoutTheRunningBundleIsStillAccepted() throws Exception {
    var r = api.post("/device/v1/heartbeat", cert, heartbeatRunning("null"));

    assertThat(r.statusCode()).isEqualTo(200);
    var event =
        TestEvents.awaitEvent(
            Topics.DEVICE_TELEMETRY,
            HeartbeatReceived.class,
            e -> e.payload().deviceId().equals(device),
            Duration.ofSeconds(20));
    assertThat(event.payload().configSha256()).isNull();
  }

  @Test
  void aMalformedRunningBundleShaIsAProblemNamingTheFieldAndPublishesNothing() throws Exception {
    var upper =
        api.post("/device/v1/heartbeat", cert, heartbeatRunning("\"" + "AB".repeat(32) + "\""));
    var shortSha = api.post("/device/v1/heartbeat", cert, heartbeatRunning("\"abc123\""));
    var notAString = api.post("/device/v1/heartbeat", cert, heartbeatRunning("[\"a\"]"));

    assertThat(upper.statusCode()).isEqualTo(422);
    assertThat(upper.body()).contains("\"field\":\"configSha256\"");
    assertThat(shortSha.statusCode()).isEqualTo(422);
    assertThat(shortSha.body()).contains("\"field\":\"configSha256\"");
    assertThat(notAString.statusCode()).isEqualTo(400);
    assertThat(notAString.body()).contains("\"field\":\"configSha256\"");
    // a good heartbeat sent afterwards is the first (and only) one of this device on the topic
    var good = api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 77));
    assertThat(good.statusCode()).isEqualTo(200);
    var event =
        TestEvents.awaitEvent(
            Topics.DEVICE_TELEMETRY,
            HeartbeatReceived.class,
            e -> e.payload().deviceId().equals(device),
            Duration.ofSeconds(20));
    assertThat(event.payload().tunnels().getFirst().bytesIn()).isEqualTo(77);
  }

  @Test
  void aConfigStatusIsAcknowledgedOnceKafkaHasIt() throws Exception {
    String sha = "ab".repeat(32);
    var r =
        api.post(
            "/device/v1/config-status",
            cert,
            "{\"version\":3,\"sha256\":\""
                + sha
                + "\",\"status\":\"FAILED\",\"error\":\"uci: bad option\"}");

    assertThat(r.statusCode()).isEqualTo(202);
    var event =
        TestEvents.awaitEvent(
            Topics.DEVICE_REPORTS,
            ConfigStatusReported.class,
            e -> e.payload().deviceId().equals(device),
            Duration.ofSeconds(10));
    assertThat(event.payload().version()).isEqualTo(3);
    assertThat(event.payload().error()).isEqualTo("uci: bad option");
    assertThat(event.tenant()).isEqualTo("default");
  }

  @Test
  void badReportsAreProblemsNamingTheFieldAndPublishNothing() throws Exception {
    var negative = api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), -5));
    var future =
        api.post(
            "/device/v1/heartbeat", cert, heartbeat(Instant.now().plus(Duration.ofDays(2)), 1));
    var unknown =
        api.post(
            "/device/v1/config-status",
            cert,
            "{\"version\":1,\"sha256\":\""
                + "a".repeat(64)
                + "\",\"status\":\"APPLIED\",\"bogus\":true}");
    var badStatus =
        api.post(
            "/device/v1/config-status",
            cert,
            "{\"version\":1,\"sha256\":\"" + "a".repeat(64) + "\",\"status\":\"MAYBE\"}");
    var malformed = api.post("/device/v1/heartbeat", cert, "{\"sentAt\":");
    var oversized =
        api.post(
            "/device/v1/check-results",
            cert,
            "{\"commandId\":\""
                + UUID.randomUUID()
                + "\",\"status\":\"FAILED\",\"output\":\""
                + "x".repeat(70_000)
                + "\"}");
    var anonymous = api.post("/device/v1/heartbeat", null, heartbeat(Instant.now(), 1));

    assertThat(negative.statusCode()).isEqualTo(422);
    assertThat(negative.body()).contains("tunnels[0].bytesIn");
    assertThat(future.statusCode()).isEqualTo(422);
    assertThat(future.body()).contains("\"field\":\"sentAt\"");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"field\":\"bogus\"");
    assertThat(badStatus.statusCode()).isEqualTo(422);
    assertThat(badStatus.body()).contains("\"field\":\"status\"");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    Thread.sleep(1000);
    assertThat(TestEvents.read(Topics.DEVICE_TELEMETRY, r -> false, Duration.ofSeconds(2)))
        .noneMatch(r -> r.key().equals(device.toString()));
  }
}
