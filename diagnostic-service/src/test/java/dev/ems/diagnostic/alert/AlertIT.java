package dev.ems.diagnostic.alert;

import static dev.ems.diagnostic.Fixtures.ADMIN;
import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@DiagnosticIntegrationTest
class AlertIT {

  static final String MGMT = "TUNNEL_DOWN:ems-mgmt";

  @Autowired MockMvc mvc;

  @Test
  void aFlappingTunnelOpensNoAlertAConfirmedOneOpensOneThatResolvesAfterTheHoldDown()
      throws Exception {
    UUID device = Fixtures.device(mvc);
    Instant t = TestClock.now();
    String[] flaps = {
      "ESTABLISHED", "DOWN", "ESTABLISHED", "DOWN", "ESTABLISHED", "DOWN", "ESTABLISHED"
    };
    for (int i = 0; i < flaps.length; i++) {
      Fixtures.heartbeat(device, t.plusSeconds(i), flaps[i]);
    }
    awaitLastSeen(device, t.plusSeconds(flaps.length - 1));
    String alerts = "/api/v1/alerts?status=ALL&deviceId=" + device;
    mvc.perform(get(alerts).header("Authorization", ADMIN)).andExpect(jsonPath("$.total").value(0));

    // down in two consecutive heartbeats: confirmed, one alert
    Fixtures.heartbeat(device, t.plusSeconds(7), "DOWN");
    Fixtures.heartbeat(device, t.plusSeconds(8), "DOWN");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get(alerts).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.total").value(1))
                    .andExpect(jsonPath("$.items[0].condition").value(MGMT))
                    .andExpect(jsonPath("$.items[0].severity").value("CRITICAL"))
                    .andExpect(jsonPath("$.items[0].occurrences").value(1))
                    .andExpect(jsonPath("$.items[0].status").value("OPEN")));

    // clears, then comes back confirmed within the hold-down: the same alert is raised again
    Fixtures.heartbeat(device, t.plusSeconds(9), "ESTABLISHED");
    Fixtures.heartbeat(device, t.plusSeconds(10), "DOWN");
    Fixtures.heartbeat(device, t.plusSeconds(11), "DOWN");
    Fixtures.heartbeat(device, t.plusSeconds(12), "ESTABLISHED");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get(alerts).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.total").value(1))
                    .andExpect(jsonPath("$.items[0].occurrences").value(2))
                    .andExpect(jsonPath("$.items[0].clearSince").value(notNullValue()))
                    .andExpect(jsonPath("$.items[0].status").value("OPEN")));

    // keep the device online and the tunnel up through the hold-down: the alert resolves by itself
    for (int minute = 1; minute <= 6; minute++) {
      TestClock.advance(Duration.ofMinutes(1));
      Fixtures.heartbeat(device, TestClock.now(), "ESTABLISHED");
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get(alerts).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.total").value(1))
                    .andExpect(jsonPath("$.items[0].status").value("RESOLVED"))
                    .andExpect(jsonPath("$.items[0].resolvedAt").value(notNullValue())));
    mvc.perform(get("/api/v1/alerts?deviceId=" + device).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.total").value(0));
  }

  private void awaitLastSeen(UUID device, Instant at) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(
                        get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.lastSeen").value(at.toString())));
  }

  @Test
  void anOperatorAcknowledgesAnAlertAndFiltersByIt() throws Exception {
    UUID device = Fixtures.device(mvc);
    Fixtures.heartbeat(device, TestClock.now(), "DOWN");
    Fixtures.heartbeat(device, TestClock.now().plusSeconds(1), "DOWN"); // confirms it
    String open = "/api/v1/alerts?severity=critical&acknowledged=false&deviceId=" + device;
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get(open).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.total").value(1)));
    String body =
        mvc.perform(get(open).header("Authorization", ADMIN))
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

    mvc.perform(post("/api/v1/alerts/" + id + "/acknowledge").header("Authorization", ADMIN))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.acknowledgedAt").value(notNullValue()))
        .andExpect(jsonPath("$.acknowledgedBy").value(notNullValue()));
    mvc.perform(get(open).header("Authorization", ADMIN)).andExpect(jsonPath("$.total").value(0));
    mvc.perform(
            get("/api/v1/alerts?acknowledged=true&deviceId=" + device)
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.items[0].id").value(id));

    mvc.perform(
            post("/api/v1/alerts/" + UUID.randomUUID() + "/acknowledge")
                .header("Authorization", ADMIN))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("alert-not-found"));
    mvc.perform(get("/api/v1/alerts?status=bogus").header("Authorization", ADMIN))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("status"));
  }
}
