package dev.ems.tw.changeset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ChangeSetFeaturesApproved;
import dev.ems.common.event.ChangeSetFeaturesApproved.FeatureChange;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.tw.TwApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class ChangeSetFeaturesIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  TwApi api;

  @BeforeEach
  void api() {
    api = new TwApi(mvc, json);
  }

  private static void approved(UUID device, List<FeatureChange> changes) {
    TestEvents.publish(
        Topics.SC_CHANGE_SETS,
        EventEnvelope.of(
            "/sc-service/change-sets",
            TwApi.TENANT,
            device.toString(),
            new ChangeSetFeaturesApproved(UUID.randomUUID(), device, changes, Instant.now())));
  }

  @Test
  void anApprovedChangeSetChangesTheDevicesFeatureSet() throws Exception {
    UUID device = api.device("openwrt-default", null, List.of());
    api.put(
        "/api/v1/devices/" + device + "/features/ntp-dns",
        Map.of("params", Map.of("ntp_servers", List.of("ntp.example.net"))));
    long before =
        api.get("/api/v1/devices/" + device + "/features").body().get("revision").asLong();

    approved(
        device,
        List.of(
            new FeatureChange("wan", "ENABLE", Map.of("wan_proto", "dhcp")),
            new FeatureChange(
                "qos", "ENABLE", Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000)),
            new FeatureChange("ntp-dns", "DISABLE", null)));

    var event =
        TestEvents.awaitEvent(
            Topics.TW_DEVICE_FEATURES,
            DeviceFeaturesChanged.class,
            e ->
                e.payload().deviceId().equals(device)
                    && e.payload().features().containsKey("qos")
                    && !e.payload().features().containsKey("ntp-dns"),
            Duration.ofSeconds(30));
    assertThat(event.payload().features()).containsOnlyKeys("wan", "qos");
    assertThat(event.payload().features().get("qos").params())
        .containsEntry("qos_download_kbps", 48123);
    var list = api.get("/api/v1/devices/" + device + "/features").body();
    assertThat(list.toString()).contains("48123").doesNotContain("ntp-dns");
    // the set's changes are one change of the device: one revision, so SC renders one version and
    // no intermediate one (wan without qos)
    assertThat(event.payload().revision()).isEqualTo(before + 1);
    assertThat(list.get("revision").asLong()).isEqualTo(before + 1);
  }
}
