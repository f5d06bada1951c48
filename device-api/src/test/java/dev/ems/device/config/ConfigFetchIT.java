package dev.ems.device.config;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
class ConfigFetchIT {

  @Autowired MockMvc mvc;

  @Test
  void servesThePublishedConfigWithItsEtagAnd304ForThatTag() throws Exception {
    UUID device = UUID.randomUUID();
    String sha = publish(device, 1, "hostname one");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(get("/device/v1/config").header("X-Device-Id", device.toString()))
                    .andExpect(status().isOk())
                    .andExpect(header().string("ETag", "\"" + sha + "\""))
                    .andExpect(header().string("X-Config-Version", "1"))
                    .andExpect(jsonPath("$.files[0].content").value("hostname one"))
                    .andExpect(jsonPath("$.version").value(1)));

    mvc.perform(
            get("/device/v1/config")
                .header("X-Device-Id", device.toString())
                .header("If-None-Match", "\"" + sha + "\""))
        .andExpect(status().isNotModified())
        .andExpect(header().string("ETag", "\"" + sha + "\""));
  }

  @Test
  void aNewerVersionReplacesTheOldAndARedeliveredOlderOneChangesNothing() throws Exception {
    UUID device = UUID.randomUUID();
    String first = publish(device, 1, "v1");
    String second = publish(device, 2, "v2");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(get("/device/v1/config").header("X-Device-Id", device.toString()))
                    .andExpect(header().string("X-Config-Version", "2")));

    publish(device, 1, "v1");
    UUID marker = UUID.randomUUID();
    String markerSha = publish(marker, 1, "after the redelivery");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(get("/device/v1/config").header("X-Device-Id", marker.toString()))
                    .andExpect(header().string("ETag", "\"" + markerSha + "\"")));

    mvc.perform(
            get("/device/v1/config")
                .header("X-Device-Id", device.toString())
                .header("If-None-Match", "\"" + first + "\""))
        .andExpect(status().isOk())
        .andExpect(header().string("ETag", "\"" + second + "\""))
        .andExpect(jsonPath("$.files[0].content").value("v2"));
  }

  @Test
  void aDeviceWithoutConfigOrIdentityGetsAProblem() throws Exception {
    mvc.perform(get("/device/v1/config").header("X-Device-Id", UUID.randomUUID().toString()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("config-not-found"));
    mvc.perform(get("/device/v1/config"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("unauthenticated"));
    mvc.perform(get("/device/v1/config").header("X-Device-Id", "not-a-uuid"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("X-Device-Id"));
  }

  private String publish(UUID device, int version, String content) throws Exception {
    String sha =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest((device + "/" + version + "/" + content).getBytes()));
    var event =
        new ConfigPublished(
            device,
            version,
            sha,
            List.of(new ConfigFile("/etc/config/system", content)),
            UUID.randomUUID(),
            Instant.now());
    TestEvents.publish(
        Topics.SC_CONFIGS, EventEnvelope.of("/test", "default", device.toString(), event));
    return sha;
  }
}
