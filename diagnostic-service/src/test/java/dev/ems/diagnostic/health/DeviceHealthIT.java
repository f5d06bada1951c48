package dev.ems.diagnostic.health;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
class DeviceHealthIT {

  static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;

  @Autowired MockMvc mvc;

  @Test
  void aCreatedDeviceIsUnknownUntilItReportsEvenWhenTheEventArrivesTwice() throws Exception {
    UUID device = UUID.randomUUID();
    var event =
        EventEnvelope.of(
            "/test",
            "default",
            device.toString(),
            new DeviceCreated(device, "SN-1", "m", "n", Instant.now()));
    send(event);
    send(event);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(
                        get("/api/v1/devices/" + device + "/health").header("Authorization", ADMIN))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.health").value("UNKNOWN"))
                    .andExpect(jsonPath("$.reasons[0]").value("no heartbeat received yet")));
    mvc.perform(get("/api/v1/fleet/health").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.UNKNOWN").value(1))
        .andExpect(jsonPath("$.OK").value(0));
  }

  @Test
  void anotherTenantsDeviceIsNotFound() throws Exception {
    mvc.perform(
            get("/api/v1/devices/" + UUID.randomUUID() + "/health").header("Authorization", ADMIN))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("device-not-found"));
  }

  private void send(EventEnvelope<?> event) {
    TestEvents.publish(Topics.SC_DEVICES, event);
  }
}
