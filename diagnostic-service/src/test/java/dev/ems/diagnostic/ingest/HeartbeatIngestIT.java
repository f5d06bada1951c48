package dev.ems.diagnostic.ingest;

import static dev.ems.diagnostic.Fixtures.ADMIN;
import static dev.ems.diagnostic.Fixtures.WAIT;
import static dev.ems.diagnostic.Fixtures.event;
import static dev.ems.diagnostic.Fixtures.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import dev.ems.embedded.TestEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@DiagnosticIntegrationTest
class HeartbeatIngestIT {

  @Autowired MockMvc mvc;
  @Autowired MeterRegistry meters;

  @Test
  void heartbeatsDriveHealthTunnelHistoryAndHealthChangedOnTransitionsOnly() throws Exception {
    UUID device = Fixtures.device(mvc);
    Instant t = TestClock.now();
    heartbeat(device, t, "ESTABLISHED");
    heartbeat(device, t, "ESTABLISHED"); // duplicate
    awaitHealth(device, "OK");

    heartbeat(device, t.plusSeconds(60), "DOWN");
    heartbeat(device, t.plusSeconds(30), "ESTABLISHED"); // out of order: older than the latest
    awaitHealth(device, "CRITICAL");
    double stale = rejected("stale");
    heartbeat(device, t.plusSeconds(60), "ESTABLISHED"); // same receivedAt again: stale
    await().atMost(WAIT).until(() -> rejected("stale") > stale);

    mvc.perform(get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.health").value("CRITICAL"))
        .andExpect(jsonPath("$.connectivity").value("ONLINE"))
        .andExpect(jsonPath("$.reasons[0]").value("management tunnel ems-mgmt is DOWN"))
        .andExpect(jsonPath("$.tunnels[0].state").value("DOWN"))
        .andExpect(jsonPath("$.firmware").value("fw-1"));
    mvc.perform(
            get("/api/v1/devices/" + device + "/tunnels/history").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(2))
        .andExpect(jsonPath("$[0].state").value("DOWN"))
        .andExpect(jsonPath("$[0].previousState").value("ESTABLISHED"))
        .andExpect(jsonPath("$[1].state").value("ESTABLISHED"));
    mvc.perform(
            get("/api/v1/fleet/devices?health=CRITICAL&size=500").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.items[?(@.deviceId == '" + device + "')]").exists());

    List<String> transitions =
        TestEvents.read(Topics.DIAG_HEALTH, r -> healthOf(r, device).size() >= 2, WAIT).stream()
            .map(r -> TestEvents.decodeOrNull(r, HealthChanged.class))
            .filter(e -> e != null && e.payload().deviceId().equals(device))
            .map(e -> e.payload().previousHealth() + "->" + e.payload().health())
            .toList();
    assertThat(transitions).containsExactly("UNKNOWN->OK", "OK->CRITICAL");
  }

  @Test
  void telemetryOfUnknownDevicesAndGarbageIsCountedAndDropped() throws Exception {
    double unknown = rejected("unknown-device");
    double garbage = rejected("unknown-type");
    UUID stranger = UUID.randomUUID();
    TestEvents.publishRaw(Topics.DEVICE_TELEMETRY, stranger.toString(), "garbage".getBytes());
    heartbeat(stranger, TestClock.now(), "ESTABLISHED");

    await().atMost(WAIT).until(() -> rejected("unknown-device") > unknown);
    assertThat(rejected("unknown-type")).isGreaterThan(garbage);
    mvc.perform(get("/api/v1/devices/" + stranger + "/health").header("Authorization", ADMIN))
        .andExpect(status().isNotFound());
    // the listener survived: a known device still gets through
    UUID device = Fixtures.device(mvc);
    heartbeat(device, TestClock.now(), "ESTABLISHED");
    awaitHealth(device, "OK");
  }

  @Test
  void aSkewedDeviceClockIsFlaggedAndCountedButReceivedAtIsTrusted() throws Exception {
    UUID device = Fixtures.device(mvc);
    double skewed = meters.counter("diag.heartbeats.clock-skew").count();
    Instant received = TestClock.now();
    Fixtures.send(
        event(
            device,
            new HeartbeatReceived(
                device,
                received.minus(Duration.ofHours(2)),
                received,
                5,
                "fw",
                heartbeat(device, received, Map.of("ems-mgmt", "ESTABLISHED")).tunnels(),
                null)));
    awaitHealth(device, "WARNING");
    mvc.perform(get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.clockSkewSeconds").value(-7200))
        .andExpect(jsonPath("$.lastSeen").value(received.toString()));
    assertThat(meters.counter("diag.heartbeats.clock-skew").count()).isGreaterThan(skewed);
  }

  private double rejected(String reason) {
    var c = meters.find("diag.events.rejected").tags("source", "telemetry", "reason", reason);
    return c.counter() == null ? 0 : c.counter().count();
  }

  private void awaitHealth(UUID device, String health) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(
                        get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.health").value(health)));
  }

  private static List<HealthChanged> healthOf(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records, UUID device) {
    return records.stream()
        .map(r -> TestEvents.decodeOrNull(r, HealthChanged.class))
        .filter(e -> e != null && e.payload().deviceId().equals(device))
        .map(e -> e.payload())
        .toList();
  }
}
