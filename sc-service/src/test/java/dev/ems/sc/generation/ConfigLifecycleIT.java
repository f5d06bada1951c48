package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.sc.ScApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class ConfigLifecycleIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  ScApi api;

  @BeforeEach
  void api() {
    api = new ScApi(mvc, json);
  }

  /** A model with its own one-file template set that prints the variables under test. */
  private String modelPrinting(String template) throws Exception {
    String model = "m-" + UUID.randomUUID().toString().substring(0, 8);
    var put = api.put("/api/v1/templates/" + model, Map.of("files", Map.of("/etc/out", template)));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    return model;
  }

  private String content(String deviceId, int version) throws Exception {
    return api.get("/api/v1/devices/" + deviceId + "/configs/" + version)
        .body()
        .at("/files/0/content")
        .asString();
  }

  @Test
  void variablesResolveTenantSiteDeviceRequestThenFeatures() throws Exception {
    String model = modelPrinting("{{ a }} {{ b }} {{ c }} {{ d }} {{ e }}\n");
    api.put(
        "/api/v1/variables",
        Map.of(
            "variables",
            Map.of("a", "tenant", "b", "tenant", "c", "tenant", "d", "tenant", "e", "tenant")));
    String site =
        api.post(
                "/api/v1/sites",
                Map.of(
                    "name",
                    "p-" + UUID.randomUUID(),
                    "variables",
                    Map.of("b", "site", "c", "site", "d", "site", "e", "site")))
            .body()
            .get("id")
            .asString();
    String device =
        api.createDevice(
            Map.of(
                "serial",
                "P-" + UUID.randomUUID(),
                "model",
                model,
                "name",
                "n",
                "siteId",
                site,
                "variables",
                Map.of("c", "device", "d", "device", "e", "device")));

    JsonNode first = api.requestConfig(device, Map.of("d", "request", "e", "request"));
    assertThat(first.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(content(device, 1)).isEqualTo("tenant site device request request\n");

    publishDefinition("qos-params", 1);
    TestEvents.publish(
        Topics.TW_DEVICE_FEATURES,
        EventEnvelope.of(
            "/tw",
            "default",
            device,
            new DeviceFeaturesChanged(
                UUID.fromString(device),
                1,
                Map.of("qos-params", new FeatureSetting(1, Map.of("e", "feature"))),
                Instant.now())));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(versions(device)).isEqualTo(2));
    assertThat(content(device, 2)).isEqualTo("tenant site device request feature\n");
    var v2 = api.get("/api/v1/devices/" + device + "/configs/2").body();
    assertThat(v2.get("requestedBy").asString()).isEqualTo("tw-service");
    assertThat(v2.at("/inputs/request/d").asString()).isEqualTo("request");
    // the version names the feature revision that made it: a tw-service rollout matches on it
    var published =
        TestEvents.awaitEvent(
                Topics.SC_CONFIGS,
                ConfigPublished.class,
                e -> e.subject().equals(device) && e.payload().version() == 2,
                Duration.ofSeconds(30))
            .payload();
    assertThat(published.cause()).isEqualTo("features-1");
  }

  @Test
  void aReplayedFeatureSetMakesNoNewRequestOrVersion() throws Exception {
    String device =
        api.createDevice(
            Map.of(
                "serial",
                "R-" + UUID.randomUUID(),
                "model",
                modelPrinting("{{ x | default('none') }}\n"),
                "name",
                "n"));
    api.requestConfig(device, Map.of());
    publishDefinition("f", 1);
    var event =
        EventEnvelope.of(
            "/tw",
            "default",
            device,
            new DeviceFeaturesChanged(
                UUID.fromString(device),
                7,
                Map.of("f", new FeatureSetting(1, Map.of("x", "on"))),
                Instant.now()));

    TestEvents.publish(Topics.TW_DEVICE_FEATURES, event);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(versions(device)).isEqualTo(2));
    TestEvents.publish(Topics.TW_DEVICE_FEATURES, event);
    var older =
        EventEnvelope.of(
            "/tw",
            "default",
            device,
            new DeviceFeaturesChanged(UUID.fromString(device), 6, Map.of(), Instant.now()));
    TestEvents.publish(Topics.TW_DEVICE_FEATURES, older);
    Thread.sleep(3000);

    assertThat(versions(device)).isEqualTo(2);
    assertThat(requests(device)).isEqualTo(2);
  }

  @Autowired FeatureRegeneration regeneration;

  @Test
  void replayingTheCompactedFeatureTopicRebuildsScsCopyExactly() throws Exception {
    String a =
        api.createDevice(
            Map.of("serial", "RP-" + UUID.randomUUID(), "model", "ow-x86", "name", "a"));
    String b =
        api.createDevice(
            Map.of("serial", "RP-" + UUID.randomUUID(), "model", "ow-x86", "name", "b"));
    publishFeatures(a, 1, Map.of("ntp_servers", java.util.List.of("ntp.a1")));
    publishFeatures(a, 2, Map.of("ntp_servers", java.util.List.of("ntp.a2")));
    publishFeatures(b, 5, Map.of("timezone", "Asia/Tokyo"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(storedFeatures(a)).contains("ntp.a2");
              assertThat(storedFeatures(b)).contains("Asia/Tokyo");
            });
    String before = storedFeatures(a) + "|" + storedFeatures(b);

    jdbc.sql("delete from device_features where device_id in (?, ?)")
        .params(UUID.fromString(a), UUID.fromString(b))
        .update();
    for (var record :
        TestEvents.read(Topics.TW_DEVICE_FEATURES, r -> false, Duration.ofSeconds(3))) {
      var event = TestEvents.decodeOrNull(record, DeviceFeaturesChanged.class);
      if (event != null) {
        regeneration.onFeaturesChanged(event.tenant(), event.payload());
      }
    }

    assertThat(storedFeatures(a) + "|" + storedFeatures(b)).isEqualTo(before);
  }

  private void publishFeatures(String device, long revision, Map<String, Object> params) {
    TestEvents.publish(
        Topics.TW_DEVICE_FEATURES,
        EventEnvelope.of(
            "/tw",
            "default",
            device,
            new DeviceFeaturesChanged(
                UUID.fromString(device),
                revision,
                Map.of("ntp-dns", new FeatureSetting(1, params)),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(revision))));
  }

  /** A feature definition as tw-service publishes it, without fragments (its params only). */
  static void publishDefinition(String key, int version) {
    TestEvents.publish(
        Topics.TW_FEATURE_DEFINITIONS,
        EventEnvelope.of(
            "/tw-service/features",
            "default",
            "default/" + key + "/" + version,
            new FeatureDefinitionChanged(
                key,
                version,
                "",
                Map.of("type", "object"),
                Map.of(),
                java.util.List.of(),
                java.util.List.of(),
                false,
                Instant.now(),
                Map.of())));
  }

  private String storedFeatures(String device) {
    return jdbc.sql(
            "select features::text || '@' || revision from device_features where device_id = ?")
        .param(UUID.fromString(device))
        .query(String.class)
        .optional()
        .orElse("none");
  }

  @Test
  void dryRunReturnsTheFilesAndStoresNothing() throws Exception {
    String device =
        api.createDevice(
            Map.of("serial", "D-" + UUID.randomUUID(), "model", "ow-x86", "name", "dry"));

    var r =
        api.post(
            "/api/v1/devices/" + device + "/config-requests",
            Map.of("variables", Map.of("timezone", "Asia/Tokyo"), "dryRun", true));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("files").size()).isEqualTo(5);
    assertThat(r.text()).contains("option zonename 'Asia/Tokyo'", "option timezone 'JST-9'");
    assertThat(versions(device)).isZero();
    assertThat(requests(device)).isZero();
  }

  @Test
  void anUndefinedVariableFailsTheRequestNamingFileLineAndVariable() throws Exception {
    String model = modelPrinting("ok\n{{ wan_ip }}\n");
    String device =
        api.createDevice(Map.of("serial", "U-" + UUID.randomUUID(), "model", model, "name", "n"));

    JsonNode failed = api.requestConfig(device, Map.of());
    var dry =
        api.post(
            "/api/v1/devices/" + device + "/config-requests",
            Map.of("variables", Map.of(), "dryRun", true));

    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asString())
        .contains("'" + model + "'", "/etc/out", "line 2", "undefined variable 'wan_ip'");
    assertThat(dry.status()).isEqualTo(422);
    assertThat(dry.body().get("code").asString()).isEqualTo("template-invalid");
    assertThat(dry.body().get("field").asString()).isEqualTo("variables.wan_ip");
    assertThat(versions(device)).isZero();
  }

  @Test
  void aTemplateWithASyntaxErrorIsRefusedOnUploadWithItsLine() throws Exception {
    var r =
        api.put(
            "/api/v1/templates/broken",
            Map.of("files", Map.of("/etc/x", "a\n{% if x %}\nno endif\n")));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().get("code").asString()).isEqualTo("template-invalid");
    assertThat(r.body().get("field").asString()).isEqualTo("files./etc/x");
    assertThat(r.body().get("detail").asString()).contains("line 2");
    assertThat(api.get("/api/v1/templates/broken").status()).isEqualTo(404);
  }

  @Test
  void versionsDiffAndRollBack() throws Exception {
    String device =
        api.createDevice(
            Map.of(
                "serial",
                "V-" + UUID.randomUUID(),
                "model",
                modelPrinting("tz {{ tz }}\n"),
                "name",
                "n"));
    api.requestConfig(device, Map.of("tz", "UTC"));
    api.requestConfig(device, Map.of("tz", "CET"));

    String diff = api.get("/api/v1/devices/" + device + "/configs/1/diff/2").text();
    var rollback = api.post("/api/v1/devices/" + device + "/configs/1/rollback", null);
    var again = api.post("/api/v1/devices/" + device + "/configs/1/rollback", null);

    assertThat(diff).contains("--- v1/etc/out", "+++ v2/etc/out", "-tz UTC", "+tz CET");
    assertThat(rollback.status()).isEqualTo(201);
    assertThat(rollback.body().get("version").asInt()).isEqualTo(3);
    assertThat(content(device, 3)).isEqualTo("tz UTC\n");
    assertThat(api.get("/api/v1/devices/" + device + "/configs/3").body().get("rollbackOf").asInt())
        .isEqualTo(1);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("created").asBoolean()).isFalse();
    assertThat(api.get("/api/v1/devices/" + device + "/configs/9").status()).isEqualTo(404);
  }

  @Test
  void deviceReportsSetApplyStatusAndOutOfSync() throws Exception {
    String device =
        api.createDevice(
            Map.of(
                "serial",
                "A-" + UUID.randomUUID(),
                "model",
                modelPrinting("v {{ v }}\n"),
                "name",
                "n"));
    api.requestConfig(device, Map.of("v", 1));
    String sha1 =
        api.get("/api/v1/devices/" + device + "/configs/1").body().get("sha256").asString();

    report(device, 1, sha1, "APPLIED", null);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(configStatus(device)).isEqualTo("APPLIED"));
    assertThat(
            api.get("/api/v1/devices/" + device + "/configs/1")
                .body()
                .get("applyStatus")
                .asString())
        .isEqualTo("APPLIED");

    api.requestConfig(device, Map.of("v", 2));
    assertThat(configStatus(device)).isEqualTo("PENDING");
    String sha2 =
        api.get("/api/v1/devices/" + device + "/configs/2").body().get("sha256").asString();
    report(device, 2, sha2, "FAILED", "uci: invalid option");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(configStatus(device)).isEqualTo("FAILED"));
    assertThat(
            api.get("/api/v1/devices/" + device + "/configs/2").body().get("applyError").asString())
        .isEqualTo("uci: invalid option");

    report(device, 1, sha1, "APPLIED", null);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(configStatus(device)).isEqualTo("OUT_OF_SYNC"));
  }

  private void report(String device, int version, String sha, String status, String error) {
    TestEvents.publish(
        Topics.DEVICE_REPORTS,
        EventEnvelope.of(
            "/device-api",
            "default",
            device,
            new ConfigStatusReported(
                UUID.fromString(device), version, sha, status, error, Instant.now())));
  }

  private String configStatus(String device) throws Exception {
    return api.get("/api/v1/devices/" + device).body().get("configStatus").asString();
  }

  private int versions(String device) {
    return jdbc.sql("select count(*) from config_version where device_id = ?")
        .param(UUID.fromString(device))
        .query(Integer.class)
        .single();
  }

  private int requests(String device) {
    return jdbc.sql("select count(*) from config_request where device_id = ?")
        .param(UUID.fromString(device))
        .query(Integer.class)
        .single();
  }
}
