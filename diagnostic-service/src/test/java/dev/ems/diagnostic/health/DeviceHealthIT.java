package dev.ems.diagnostic.health;

import static dev.ems.diagnostic.Fixtures.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.DiagnosticIntegrationTest;
import dev.ems.diagnostic.Fixtures;
import dev.ems.embedded.TestEvents;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

@DiagnosticIntegrationTest
class DeviceHealthIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;

  @Test
  void aCreatedDeviceIsUnknownUntilItReportsEvenWhenTheEventArrivesTwice() throws Exception {
    long unknownBefore = unknownCount();
    UUID device = UUID.randomUUID();
    var event =
        EventEnvelope.of(
            "/test",
            "default",
            device.toString(),
            new DeviceCreated(device, "SN-1", "m", "n", Instant.now()));
    TestEvents.publish(Topics.SC_DEVICES, event);
    TestEvents.publish(Topics.SC_DEVICES, event);

    await()
        .atMost(Fixtures.WAIT)
        .untilAsserted(
            () ->
                mvc.perform(
                        get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.health").value("UNKNOWN"))
                    .andExpect(jsonPath("$.connectivity").value("UNKNOWN"))
                    .andExpect(jsonPath("$.reasons[0]").value("no heartbeat received yet")));
    // other tests share the database: count relative to before, and only once
    assertThat(unknownCount()).isEqualTo(unknownBefore + 1);
  }

  @Test
  void anotherTenantsDeviceIsNotFound() throws Exception {
    mvc.perform(
            get("/api/v1/devices/" + UUID.randomUUID() + "/health").header("Authorization", ADMIN))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("device-not-found"));
  }

  private long unknownCount() throws Exception {
    String body =
        mvc.perform(get("/api/v1/fleet/health").header("Authorization", ADMIN))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body).get("UNKNOWN").asLong();
  }
}
