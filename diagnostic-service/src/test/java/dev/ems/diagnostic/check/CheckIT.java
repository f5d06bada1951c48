package dev.ems.diagnostic.check;

import static dev.ems.diagnostic.Fixtures.ADMIN;
import static dev.ems.diagnostic.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.CheckResultReported;
import dev.ems.common.event.DeviceCommandRequested;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.diagnostic.TestClock;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@DiagnosticIntegrationTest
class CheckIT {

  @Autowired MockMvc mvc;

  @Test
  void aCheckReachesTheDeviceAsACommandAndItsResultIsStoredOnce() throws Exception {
    UUID device = Fixtures.device(mvc);
    UUID check = request(device, "TUNNEL_STATUS");

    var command =
        TestEvents.awaitEvent(
            Topics.DIAG_COMMANDS,
            DeviceCommandRequested.class,
            e -> e.payload().commandId().equals(check),
            WAIT);
    assertThat(command.payload().deviceId()).isEqualTo(device);
    assertThat(command.payload().parameters()).containsEntry("tunnel", "ems-mgmt");
    assertThat(command.payload().expiresAt()).isAfter(TestClock.now());

    var result =
        Fixtures.event(
            device,
            new CheckResultReported(
                check, device, "SUCCEEDED", "ems-mgmt ESTABLISHED", TestClock.now()));
    TestEvents.publish(Topics.DEVICE_REPORTS, result);
    awaitStatus(device, check, "SUCCEEDED");
    var late =
        Fixtures.event(
            device, new CheckResultReported(check, device, "FAILED", "late", TestClock.now()));
    TestEvents.publish(Topics.DEVICE_REPORTS, late);
    TestEvents.publish(Topics.DEVICE_REPORTS, result);
    Thread.sleep(1000);
    mvc.perform(get(url(device, check)).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.status").value("SUCCEEDED"))
        .andExpect(jsonPath("$.output").value("ems-mgmt ESTABLISHED"));
  }

  @Test
  void aCheckWithoutAnswerTimesOutAndALateAnswerIsIgnored() throws Exception {
    UUID device = Fixtures.device(mvc); // never heartbeats: the command waits for it
    UUID check = request(device, "REACHABILITY");
    mvc.perform(get(url(device, check)).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.status").value("PENDING"));

    TestClock.advance(Duration.ofMinutes(11));
    awaitStatus(device, check, "TIMED_OUT");
    TestEvents.publish(
        Topics.DEVICE_REPORTS,
        Fixtures.event(
            device, new CheckResultReported(check, device, "SUCCEEDED", "pong", TestClock.now())));
    Thread.sleep(1000);
    mvc.perform(get("/api/v1/devices/" + device + "/checks").header("Authorization", ADMIN))
        .andExpect(jsonPath("$[0].status").value("TIMED_OUT"));
  }

  @Test
  void badCheckRequestsAreProblems() throws Exception {
    UUID device = Fixtures.device(mvc);
    mvc.perform(
            post("/api/v1/devices/" + device + "/checks")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\":\"REBOOT\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.field").value("type"));
    mvc.perform(
            post("/api/v1/devices/" + UUID.randomUUID() + "/checks")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\":\"REACHABILITY\"}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("device-not-found"));
    mvc.perform(
            get("/api/v1/devices/" + device + "/checks/" + UUID.randomUUID())
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.code").value("check-not-found"));
  }

  private UUID request(UUID device, String type) throws Exception {
    String body =
        mvc.perform(
                post("/api/v1/devices/" + device + "/checks")
                    .header("Authorization", ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"type\":\"" + type + "\",\"parameters\":{\"tunnel\":\"ems-mgmt\"}}"))
            .andExpect(status().isAccepted())
            .andExpect(header().exists("Location"))
            .andExpect(jsonPath("$.status").value("PENDING"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return UUID.fromString(body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
  }

  private void awaitStatus(UUID device, UUID check, String status) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get(url(device, check)).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.status").value(status)));
  }

  private static String url(UUID device, UUID check) {
    return "/api/v1/devices/" + device + "/checks/" + check;
  }
}
