package dev.ems.sc.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.platform.security.ApiKeys;
import dev.ems.sc.ScApi;
import java.time.Duration;
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
class InventoryIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  ScApi api;

  @BeforeEach
  void api() {
    api = new ScApi(mvc, json);
  }

  private static String serial() {
    return "SN-" + UUID.randomUUID();
  }

  @Test
  void sitesAreCreatedUpdatedWithIfMatchAndRefuseStaleWrites() throws Exception {
    var created =
        api.post(
            "/api/v1/sites",
            Map.of("name", "site-" + UUID.randomUUID(), "variables", Map.of("ntp", "a")));
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asString();
    var read = api.get("/api/v1/sites/" + id);
    String etag = read.header("ETag");

    var updated =
        api.call(
            HttpMethod.PUT,
            "/api/v1/sites/" + id,
            Map.of("name", "renamed-" + id, "variables", Map.of("ntp", "b")),
            Map.of("If-Match", etag));
    var stale =
        api.call(
            HttpMethod.PUT,
            "/api/v1/sites/" + id,
            Map.of("name", "lost-update", "variables", Map.of()),
            Map.of("If-Match", etag));

    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.header("ETag")).isNotEqualTo(etag);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.body().get("code").asString()).isEqualTo("precondition-failed");
    assertThat(api.get("/api/v1/sites/" + id).body().get("name").asString())
        .isEqualTo("renamed-" + id);
  }

  @Test
  void devicesAreFilteredByTagSiteModelAndConfigStatus() throws Exception {
    String site =
        api.post("/api/v1/sites", Map.of("name", "f-" + UUID.randomUUID()))
            .body()
            .get("id")
            .asString();
    String model = "m" + UUID.randomUUID().toString().substring(0, 8);
    String inSite =
        api.createDevice(
            Map.of(
                "serial",
                serial(),
                "model",
                model,
                "name",
                "a",
                "siteId",
                site,
                "tags",
                List.of("edge", "berlin")));
    api.createDevice(
        Map.of("serial", serial(), "model", model, "name", "b", "tags", List.of("edge")));
    api.createDevice(Map.of("serial", serial(), "model", "other", "name", "c", "siteId", site));

    assertThat(ids("/api/v1/devices?siteId=" + site + "&model=" + model)).containsExactly(inSite);
    assertThat(ids("/api/v1/devices?model=" + model + "&tag=edge")).hasSize(2);
    assertThat(ids("/api/v1/devices?model=" + model + "&tag=berlin")).containsExactly(inSite);
    assertThat(ids("/api/v1/devices?model=" + model + "&configStatus=NONE")).hasSize(2);
    assertThat(ids("/api/v1/devices?model=" + model + "&configStatus=APPLIED")).isEmpty();
    assertThat(api.get("/api/v1/devices?configStatus=BOGUS").status()).isEqualTo(422);
  }

  @Test
  void updateNeedsTheCurrentVersionAndAnnouncesTheChange() throws Exception {
    String id = api.createDevice(Map.of("serial", serial(), "model", "ow", "name", "before"));
    String etag = api.get("/api/v1/devices/" + id).header("ETag");
    var body =
        Map.of("model", "ow", "name", "after", "tags", List.of("t1"), "variables", Map.of("x", 1));

    var ok = api.call(HttpMethod.PUT, "/api/v1/devices/" + id, body, Map.of("If-Match", etag));
    var stale = api.call(HttpMethod.PUT, "/api/v1/devices/" + id, body, Map.of("If-Match", etag));

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().get("variables").get("x").asInt()).isEqualTo(1);
    assertThat(stale.status()).isEqualTo(412);
    var event =
        TestEvents.awaitEvent(
            Topics.SC_DEVICES,
            DeviceUpdated.class,
            e -> e.subject().equals(id) && e.payload().name().equals("after"),
            Duration.ofSeconds(20));
    assertThat(event.payload().tags()).containsExactly("t1");
  }

  @Test
  void reissuedTokenReplacesTheOldOneAndTravelsOnlyAsAHash() throws Exception {
    var created =
        api.post("/api/v1/devices", Map.of("serial", serial(), "model", "ow", "name", "n"));
    String id = created.body().get("id").asString();
    String first = created.body().get("bootstrapToken").asString();

    var reissued = api.post("/api/v1/devices/" + id + "/bootstrap-token", null);
    String second = reissued.body().get("bootstrapToken").asString();

    assertThat(second).isNotEqualTo(first).startsWith("emsbt_");
    var event =
        TestEvents.awaitEvent(
            Topics.SC_DEVICES,
            BootstrapTokenIssued.class,
            e -> e.subject().equals(id) && e.payload().tokenSha256().equals(ApiKeys.hash(second)),
            Duration.ofSeconds(20));
    assertThat(event.payload().expiresAt()).isAfter(event.payload().issuedAt());
    assertThat(
            new String(
                TestEvents.read(Topics.SC_DEVICES, r -> false, Duration.ofSeconds(2)).stream()
                    .map(r -> new String(r.value()))
                    .reduce("", String::concat)))
        .doesNotContain(second);
  }

  @Test
  void replacedHardwareKeepsSiteAndVariablesUnderTheNewSerial() throws Exception {
    String site =
        api.post("/api/v1/sites", Map.of("name", "rma-" + UUID.randomUUID()))
            .body()
            .get("id")
            .asString();
    String oldSerial = serial();
    String id =
        api.createDevice(
            Map.of(
                "serial",
                oldSerial,
                "model",
                "ow",
                "name",
                "n",
                "siteId",
                site,
                "variables",
                Map.of("lan_ip", "10.1.1.1")));
    String newSerial = serial();

    var replaced = api.post("/api/v1/devices/" + id + "/replace", Map.of("serial", newSerial));
    var device = api.get("/api/v1/devices/" + id).body();

    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().get("bootstrapToken").asString()).startsWith("emsbt_");
    assertThat(device.get("serial").asString()).isEqualTo(newSerial);
    assertThat(device.get("siteId").asString()).isEqualTo(site);
    assertThat(device.get("variables").get("lan_ip").asString()).isEqualTo("10.1.1.1");
    assertThat(device.get("replacedSerials").get(0).asString()).isEqualTo(oldSerial);
    assertThat(
            api.post("/api/v1/devices", Map.of("serial", oldSerial, "model", "ow", "name", "reuse"))
                .status())
        .isEqualTo(201);
  }

  @Test
  void decommissionedDeviceIsAnnouncedAndTakesNoConfigRequests() throws Exception {
    String serial = serial();
    String id = api.createDevice(Map.of("serial", serial, "model", "ow", "name", "n"));

    assertThat(api.call(HttpMethod.DELETE, "/api/v1/devices/" + id, null, Map.of()).status())
        .isEqualTo(204);

    TestEvents.awaitEvent(
        Topics.SC_DEVICES,
        DeviceDecommissioned.class,
        e -> e.subject().equals(id),
        Duration.ofSeconds(20));
    var refused =
        api.post("/api/v1/devices/" + id + "/config-requests", Map.of("variables", Map.of()));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("code").asString()).isEqualTo("device-decommissioned");
    assertThat(api.get("/api/v1/devices/" + id).body().get("status").asString())
        .isEqualTo("DECOMMISSIONED");
    assertThat(
            api.post("/api/v1/devices", Map.of("serial", serial, "model", "ow", "name", "again"))
                .status())
        .isEqualTo(201);
  }

  @Test
  void unknownSiteIsRejectedWithTheField() throws Exception {
    var r =
        api.post(
            "/api/v1/devices",
            Map.of("serial", serial(), "model", "ow", "name", "n", "siteId", UUID.randomUUID()));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("field").asString()).isEqualTo("siteId");
  }

  private List<String> ids(String path) throws Exception {
    var r = api.get(path);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.body().get("items").valueStream().map(n -> n.get("id").asString()).toList();
  }
}
