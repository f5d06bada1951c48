package dev.ems.tw.devicefeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.tw.TwApi;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * A consumer that reads the compacted device-features topic from the beginning (as SC does after
 * losing its copy) ends with exactly tw-service's state: the newest record of every device is its
 * whole current feature set.
 */
@SpringBootTest
@AutoConfigureMockMvc
class FeatureReplayIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired DeviceFeatureStore store;

  @Test
  void replayingTheTopicFromTheStartRebuildsEveryDevicesFeatureSet() throws Exception {
    TwApi api = new TwApi(mvc, json);
    UUID a = api.device("openwrt-default", null, List.of());
    UUID b = api.device("openwrt-default", null, List.of());
    String base = "/api/v1/devices/";
    api.put(base + a + "/features/lan-dhcp", Map.of("params", Map.of("lan_ip", "10.0.0.1")));
    api.put(
        base + a + "/features/vlans",
        Map.of("params", Map.of("vlans", List.of(Map.of("id", 10, "ip", "10.10.0.1")))));
    api.put(base + a + "/features/lan-dhcp", Map.of("params", Map.of("lan_ip", "10.0.0.2")));
    api.put(base + b + "/features/wan", Map.of("params", Map.of("wan_proto", "dhcp")));
    api.delete(base + b + "/features/wan");

    Map<UUID, Long> expected = new HashMap<>();
    jdbc.sql("select id, features_revision from device where features_revision > 0")
        .query(
            rs -> {
              expected.put(rs.getObject(1, UUID.class), rs.getLong(2));
            });
    Map<UUID, DeviceFeaturesChanged> latest = new HashMap<>();
    TestEvents.read(
        Topics.TW_DEVICE_FEATURES,
        records -> {
          latest.clear();
          for (var record : records) {
            EventEnvelope<DeviceFeaturesChanged> e =
                TestEvents.decodeOrNull(record, DeviceFeaturesChanged.class);
            if (e != null) {
              latest.merge(
                  e.payload().deviceId(),
                  e.payload(),
                  (x, y) -> y.revision() > x.revision() ? y : x);
            }
          }
          return expected.entrySet().stream()
              .allMatch(
                  en ->
                      latest.containsKey(en.getKey())
                          && latest.get(en.getKey()).revision() == en.getValue());
        },
        Duration.ofSeconds(60));

    assertThat(expected).containsKeys(a, b);
    for (var entry : expected.entrySet()) {
      DeviceFeaturesChanged last = latest.get(entry.getKey());
      assertThat(last).as("latest record of %s", entry.getKey()).isNotNull();
      assertThat(last.revision()).isEqualTo(entry.getValue());
      Map<String, FeatureSetting> db = store.of(entry.getKey());
      tools.jackson.databind.JsonNode published = json.valueToTree(last.features());
      tools.jackson.databind.JsonNode stored = json.valueToTree(db);
      assertThat(published).isEqualTo(stored);
    }
    assertThat(latest.get(a).features().get("lan-dhcp").params())
        .containsEntry("lan_ip", "10.0.0.2");
    assertThat(latest.get(b).features()).isEmpty();
    assertThat(latest.get(b).revision()).isEqualTo(2);
  }
}
