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

  @Test
  void aHeartbeatReachesKafkaAndItsResponseCarriesPendingCommandsOnce() throws Exception {
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
    var next = api.post("/device/v1/heartbeat", cert, heartbeat(Instant.now(), 2));
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
