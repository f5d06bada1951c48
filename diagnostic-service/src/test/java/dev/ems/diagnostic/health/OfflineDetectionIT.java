package dev.ems.diagnostic.health;

import static dev.ems.diagnostic.Fixtures.ADMIN;
import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticApplication;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Two instances of the service on one database and broker, both sweeping: every silent device is
 * marked OFFLINE exactly once (one HealthChanged, one alert), none is missed.
 */
@DiagnosticIntegrationTest
class OfflineDetectionIT {

  static ConfigurableApplicationContext second;

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;

  @BeforeAll
  static void startSecondInstance() {
    // arguments, not default properties: they must win over diagnostic-service.yml; the test
    // infrastructure's settings (database, broker, bootstrap key and its tenant) as every context
    List<String> args =
        new ArrayList<>(List.of("--server.port=0", "--" + DiagnosticIntegrationTest.SWEEP));
    TestInfrastructure.springProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
    second =
        new SpringApplicationBuilder(DiagnosticApplication.class, TestClock.Config.class)
            .run(args.toArray(String[]::new));
  }

  @AfterAll
  static void stopSecondInstance() {
    if (second != null) {
      second.close();
    }
  }

  @Test
  void silentDevicesGoOfflineOnceWithTwoInstancesSweeping() throws Exception {
    List<UUID> devices = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      devices.add(Fixtures.device(mvc));
    }
    Instant t = TestClock.now();
    devices.forEach(d -> Fixtures.heartbeat(d, t, "ESTABLISHED"));
    await().atMost(WAIT).until(() -> count(devices, "ONLINE") == devices.size());

    // one more heartbeat keeps the last device alive past the others' deadline
    UUID alive = devices.getLast();
    TestClock.advance(Duration.ofSeconds(80));
    Fixtures.heartbeat(alive, TestClock.now(), "ESTABLISHED");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(
                        get("/api/v1/devices/" + alive + "/health").header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.lastSeen").value(TestClock.now().toString())));
    TestClock.advance(Duration.ofSeconds(20)); // 100 s of silence > 90 s for the others

    List<UUID> silent = devices.subList(0, devices.size() - 1);
    await().atMost(WAIT).until(() -> count(silent, "OFFLINE") == silent.size());
    Thread.sleep(1000); // several more sweeps of both instances: nothing may happen twice
    assertThat(count(List.of(alive), "ONLINE")).isEqualTo(1);

    Set<UUID> ids = new HashSet<>(silent);
    var offline =
        TestEvents.read(Topics.DIAG_HEALTH, r -> false, Duration.ofSeconds(3)).stream()
            .map(r -> TestEvents.decodeOrNull(r, HealthChanged.class))
            .filter(e -> e != null && ids.contains(e.payload().deviceId()))
            .filter(e -> e.payload().health().equals("CRITICAL"))
            .toList();
    assertThat(offline).hasSize(silent.size());
    assertThat(offline).allMatch(e -> e.payload().reasons().getFirst().startsWith("offline"));
    long alerts =
        jdbc.sql(
                "select count(*) from alert where condition = 'OFFLINE'"
                    + " and device_id = any(?::uuid[])")
            .param(silent.stream().map(UUID::toString).toArray(String[]::new))
            .query(Long.class)
            .single();
    assertThat(alerts).isEqualTo(silent.size());

    // a heartbeat brings a device back: ONLINE again, its alert starts clearing
    UUID back = silent.getFirst();
    Fixtures.heartbeat(back, TestClock.now(), "ESTABLISHED");
    await().atMost(WAIT).until(() -> count(List.of(back), "ONLINE") == 1);
  }

  private long count(List<UUID> devices, String connectivity) {
    return jdbc.sql(
            "select count(*) from device_health where connectivity = ?"
                + " and device_id = any(?::uuid[])")
        .params(connectivity, devices.stream().map(UUID::toString).toArray(String[]::new))
        .query(Long.class)
        .single();
  }
}
