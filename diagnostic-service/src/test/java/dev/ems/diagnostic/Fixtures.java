package dev.ems.diagnostic;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.common.event.TunnelStatus;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.web.servlet.MockMvc;

/** Events as the other services would send them, and waits on the API. */
public final class Fixtures {

  public static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;
  public static final String TENANT = "default";
  public static final Duration WAIT = Duration.ofSeconds(30);

  private Fixtures() {}

  public static <T> EventEnvelope<T> event(UUID device, T payload) {
    return EventEnvelope.of("/test", TENANT, device.toString(), payload);
  }

  /** Creates a device (as SC would) and waits until diagnostics knows it. */
  public static UUID device(MockMvc mvc) {
    UUID id = UUID.randomUUID();
    TestEvents.publish(
        Topics.SC_DEVICES, event(id, new DeviceCreated(id, "SN-" + id, "m", "n", Instant.now())));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/devices/" + id + "/health").header("Authorization", ADMIN))
                    .andExpect(status().isOk()));
    return id;
  }

  public static HeartbeatReceived heartbeat(UUID device, Instant at, Map<String, String> tunnels) {
    List<TunnelStatus> list = new ArrayList<>();
    tunnels.forEach((name, state) -> list.add(new TunnelStatus(name, state, 1, 2, 3, 4, at)));
    return new HeartbeatReceived(device, at, at, 100, "fw-1", list, null);
  }

  public static void send(EventEnvelope<HeartbeatReceived> heartbeat) {
    TestEvents.publish(Topics.DEVICE_TELEMETRY, heartbeat);
  }

  public static void heartbeat(UUID device, Instant at, String mgmtState) {
    send(event(device, heartbeat(device, at, Map.of("ems-mgmt", mgmtState))));
  }
}
