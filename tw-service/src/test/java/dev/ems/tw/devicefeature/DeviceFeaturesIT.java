package dev.ems.tw.devicefeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceDecommissioned;
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
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class DeviceFeaturesIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  TwApi api;

  @BeforeEach
  void api() {
    api = new TwApi(mvc, json);
  }

  private String features(UUID device) {
    return "/api/v1/devices/" + device + "/features";
  }

  @Test
  void enablingAFeaturePublishesTheWholeSetWithAGrowingRevision() throws Exception {
    UUID device = api.device("openwrt-default", null, List.of());
    var wan = api.put(features(device) + "/wan", Map.of("params", Map.of("wan_proto", "dhcp")));
    var ntp =
        api.put(
            features(device) + "/ntp-dns",
            Map.of("params", Map.of("ntp_servers", List.of("ntp.example.net"))));
    var same = api.put(features(device) + "/wan", Map.of("params", Map.of("wan_proto", "dhcp")));

    assertThat(wan.status()).isEqualTo(200);
    assertThat(ntp.header("ETag")).isEqualTo("\"2\"");
    assertThat(same.header("ETag")).as("unchanged set, same revision").isEqualTo("\"2\"");
    var event =
        TestEvents.awaitEvent(
            Topics.TW_DEVICE_FEATURES,
            DeviceFeaturesChanged.class,
            e -> e.payload().deviceId().equals(device) && e.payload().revision() == 2,
            Duration.ofSeconds(30));
    assertThat(event.tenant()).isEqualTo("default");
    assertThat(event.payload().features()).containsOnlyKeys("wan", "ntp-dns");
    assertThat(event.payload().features().get("wan").params()).containsEntry("wan_proto", "dhcp");
    var list = api.get(features(device)).body();
    assertThat(list.get("revision").asLong()).isEqualTo(2);
    assertThat(list.at("/features/1/key").asString()).isEqualTo("wan");
  }

  @Test
  void schemaViolationsPointAtTheirJsonPathsAndChangeNothing() throws Exception {
    UUID device = api.device("openwrt-default", null, List.of());
    api.put(features(device) + "/lan-dhcp", Map.of("params", Map.of("lan_ip", "10.0.0.1")));
    var bad =
        api.put(
            features(device) + "/vlans",
            Map.of("params", Map.of("vlans", List.of(Map.of("id", 5000, "ip", "10.1.0.1")))));
    var missing =
        api.put(
            features(device) + "/wan",
            Map.of("params", Map.of("wan_proto", "static", "wan_ip", "1.2.3.4")));

    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.code()).isEqualTo("feature-params-invalid");
    assertThat(bad.body().get("field").asString()).isEqualTo("params.vlans[0].id");
    assertThat(missing.body().at("/errors").valueStream().map(e -> e.get("field").asString()))
        .contains("params.wan_netmask", "params.wan_gateway");
    var list = api.get(features(device)).body();
    assertThat(list.get("revision").asLong()).isEqualTo(1);
    assertThat(list.get("features").size()).isEqualTo(1);
  }

  @Test
  void dependenciesConflictsAndUnknownFeaturesAreRefused() throws Exception {
    UUID device = api.device("openwrt-default", null, List.of());
    String base = api.createFeature("base", List.of(), List.of());
    String child = api.createFeature("child", List.of(base), List.of());
    String rival = api.createFeature("rival", List.of(), List.of(base));

    var orphan = api.put(features(device) + "/" + child, Map.of("params", Map.of()));
    api.put(features(device) + "/" + base, Map.of("params", Map.of("rate", 1)));
    var withParent = api.put(features(device) + "/" + child, Map.of("params", Map.of()));
    var conflict = api.put(features(device) + "/" + rival, Map.of("params", Map.of()));
    var removeParent = api.delete(features(device) + "/" + base);
    var unknown = api.put(features(device) + "/no-such-feature", Map.of("params", Map.of()));
    var unknownDevice =
        api.put(features(UUID.randomUUID()) + "/" + base, Map.of("params", Map.of()));

    assertThat(orphan.status()).isEqualTo(409);
    assertThat(orphan.code()).isEqualTo("feature-dependency-missing");
    assertThat(withParent.status()).isEqualTo(200);
    assertThat(conflict.code()).isEqualTo("feature-conflict");
    assertThat(removeParent.status()).isEqualTo(409);
    assertThat(removeParent.code()).isEqualTo("feature-required");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("feature-not-found");
    assertThat(unknown.body().get("field").asString()).isEqualTo("key");
    assertThat(unknownDevice.code()).isEqualTo("device-not-found");
    var list = api.get(features(device)).body();
    assertThat(list.get("revision").asLong()).isEqualTo(2);
    assertThat(api.delete(features(device) + "/" + child).status()).isEqualTo(204);
    assertThat(api.delete(features(device) + "/" + base).status()).isEqualTo(204);
    assertThat(api.get(features(device)).body().get("features").size()).isZero();
  }

  @Test
  void staleIfMatchLosesAgainstAConcurrentUpdate() throws Exception {
    UUID device = api.device("openwrt-default", null, List.of());
    String etag = api.get(features(device)).header("ETag");

    var first =
        api.call(
            HttpMethod.PUT,
            features(device) + "/wan",
            Map.of("params", Map.of("wan_proto", "dhcp")),
            Map.of("If-Match", etag));
    var second =
        api.call(
            HttpMethod.PUT,
            features(device) + "/wan",
            Map.of("params", Map.of("wan_proto", "pppoe")),
            Map.of("If-Match", etag));

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(412);
    assertThat(second.code()).isEqualTo("precondition-failed");
    assertThat(api.get(features(device)).body().at("/features/0/params/wan_proto").asString())
        .isEqualTo("dhcp");
  }

  @Test
  void decommissionedDeviceRefusesFeatureChanges() throws Exception {
    UUID device = api.device("openwrt-default", null, List.of());
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc-service/devices",
            "default",
            device.toString(),
            new DeviceDecommissioned(device, "SN-" + device, Instant.now())));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.put(features(device) + "/wan", Map.of("params", Map.of("wan_proto", "dhcp")))
                        .status()
                    == 409);
    assertThat(api.get(features(device)).body().get("features").size()).isZero();
  }
}
