package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.FeatureFragment;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.sc.ScApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

/**
 * Features render end to end: feature definitions and a device's feature set arrive on Kafka as
 * tw-service publishes them, and the device's next version carries the fragments' output.
 */
@SpringBootTest(properties = "sc.feature-definition-wait=PT4S")
@AutoConfigureMockMvc
class FeatureRenderIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  ScApi api;

  @BeforeEach
  void api() {
    api = new ScApi(mvc, json);
  }

  @Test
  void qosRendersIntoTheNextVersionLeavesWithItAndTheSameInputsGiveTheSameSha() throws Exception {
    publishBuiltIn("wan");
    publishBuiltIn("qos");
    String device = device();
    assertThat(api.requestConfig(device, Map.of()).get("status").asString()).isEqualTo("COMPLETED");
    FeatureSetting wan = setting("wan", Map.of("wan_proto", "dhcp"));
    FeatureSetting qos =
        setting("qos", Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000));

    publishFeatures(device, 1, Map.of("wan", wan, "qos", qos));
    ConfigPublished withQos = awaitPublished(device, "features-1");
    publishFeatures(device, 2, Map.of("wan", wan));
    ConfigPublished withoutQos = awaitPublished(device, "features-2");
    publishFeatures(device, 3, Map.of("wan", wan));
    ConfigPublished unchanged = awaitPublished(device, "features-3");
    publishFeatures(device, 4, Map.of("wan", wan, "qos", qos));
    ConfigPublished again = awaitPublished(device, "features-4");

    assertThat(withQos.version()).isEqualTo(2);
    assertThat(file(withQos, "/etc/config/sqm")).contains("option download '48123'");
    assertThat(stored(device, 2).at("/files").valueStream().map(f -> f.get("path").asString()))
        .contains("/etc/config/sqm");
    assertThat(withoutQos.version()).isEqualTo(3);
    assertThat(withoutQos.files()).noneMatch(f -> f.path().equals("/etc/config/sqm"));
    // the same bundle again: no new version, the current one published again with the cause
    assertThat(unchanged.version()).isEqualTo(3);
    assertThat(unchanged.sha256()).isEqualTo(withoutQos.sha256());
    assertThat(unchanged.files()).isEqualTo(withoutQos.files());
    // ... still the signed bundle it is: a device verifies the repeat like the original
    assertThat(unchanged.signature()).isNotNull().isEqualTo(withoutQos.signature());
    assertThat(versions(device)).isEqualTo(4);
    // same inputs as version 2, same bytes
    assertThat(again.version()).isEqualTo(4);
    assertThat(again.sha256()).isEqualTo(withQos.sha256());
  }

  @Test
  void aFragmentFailingAtRunTimeFailsTheRequestNamingFeatureVersionFragmentAndLine()
      throws Exception {
    publishDefinition(
        "default",
        "broken",
        3,
        List.of(
            new FeatureFragment(
                "extra",
                "/etc/config/extra",
                FeatureFragment.Mode.SECTIONS,
                "config extra 'x'\n\toption a '{{ not_a_variable }}'\n")));
    String device = device();
    api.requestConfig(device, Map.of());

    publishFeatures(device, 1, Map.of("broken", new FeatureSetting(3, Map.of())));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(status(device, "features-1")).startsWith("FAILED"));
    assertThat(status(device, "features-1"))
        .contains(
            "feature 'broken' version 3, fragment 'extra' (/etc/config/extra), line 2",
            "not_a_variable");
    assertThat(versions(device)).isEqualTo(1);
  }

  @Test
  void aDefinitionArrivingAfterTheFeatureSetIsWaitedFor() throws Exception {
    String device = device();
    api.requestConfig(device, Map.of());
    String key = "late-" + UUID.randomUUID().toString().substring(0, 6);

    publishFeatures(device, 1, Map.of(key, new FeatureSetting(1, Map.of("who", "late"))));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(waitingFor(device, "features-1")).isEqualTo("default/" + key + "/1"));
    // the operator sees what the request waits for
    assertThat(
            api.get("/api/v1/config-requests/" + requestId(device, "features-1"))
                .body()
                .get("waitingFor")
                .asString())
        .isEqualTo("default/" + key + "/1");
    publishDefinition(
        "default",
        key,
        1,
        List.of(
            new FeatureFragment("out", "/etc/late", FeatureFragment.Mode.FILE, "# {{ who }}\n")));

    ConfigPublished published = awaitPublished(device, "features-1");
    assertThat(file(published, "/etc/late")).isEqualTo("# late\n");
    assertThat(status(device, "features-1")).isEqualTo("COMPLETED");
  }

  @Test
  void aDefinitionThatNeverArrivesFailsTheRequestAfterTheWait() throws Exception {
    String device = device();
    api.requestConfig(device, Map.of());

    publishFeatures(device, 1, Map.of("ghost", new FeatureSetting(9, Map.of())));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(status(device, "features-1")).startsWith("FAILED"));
    assertThat(status(device, "features-1"))
        .contains("feature 'ghost' version 9", "has not received its definition within 4 s");
    assertThat(versions(device)).isEqualTo(1);
  }

  private String device() throws Exception {
    return api.createDevice(
        Map.of("serial", "FR-" + UUID.randomUUID(), "model", "ow-x86", "name", "cpe"));
  }

  private static FeatureSetting setting(String key, Map<String, Object> params) {
    return new FeatureSetting(BuiltInFeatureOutputTests.feature(key, params).version(), params);
  }

  /** A built-in feature as tw-service publishes it, from its catalogue file. */
  private static void publishBuiltIn(String key) {
    var definition = BuiltInFeatureOutputTests.definitionEvent(key);
    TestEvents.publish(
        Topics.TW_FEATURE_DEFINITIONS,
        EventEnvelope.of(
            "/tw-service/features", "*", "*/" + key + "/" + definition.version(), definition));
  }

  private static void publishDefinition(
      String tenant, String key, int version, List<FeatureFragment> fragments) {
    TestEvents.publish(
        Topics.TW_FEATURE_DEFINITIONS,
        EventEnvelope.of(
            "/tw-service/features",
            tenant,
            tenant + "/" + key + "/" + version,
            new FeatureDefinitionChanged(
                key,
                version,
                "",
                Map.of("type", "object"),
                Map.of(),
                List.of(),
                List.of(),
                false,
                Instant.now(),
                Map.of("openwrt-default", fragments))));
  }

  private static void publishFeatures(
      String device, long revision, Map<String, FeatureSetting> features) {
    TestEvents.publish(
        Topics.TW_DEVICE_FEATURES,
        EventEnvelope.of(
            "/tw-service/device-features",
            "default",
            device,
            new DeviceFeaturesChanged(
                UUID.fromString(device), revision, new TreeMap<>(features), Instant.now())));
  }

  private static ConfigPublished awaitPublished(String device, String cause) {
    return TestEvents.awaitEvent(
            Topics.SC_CONFIGS,
            ConfigPublished.class,
            e -> e.subject().equals(device) && cause.equals(e.payload().cause()),
            Duration.ofSeconds(40))
        .payload();
  }

  private static String file(ConfigPublished published, String path) {
    return published.files().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no file " + path + " in " + published.files()))
        .content();
  }

  private JsonNode stored(String device, int version) throws Exception {
    return api.get("/api/v1/devices/" + device + "/configs/" + version).body();
  }

  private String status(String device, String key) {
    return jdbc.sql(
            "select status || coalesce(': ' || failure_reason, '') from config_request"
                + " where device_id = ? and idempotency_key = ?")
        .params(UUID.fromString(device), key)
        .query(String.class)
        .optional()
        .orElse("none");
  }

  private UUID requestId(String device, String key) {
    return jdbc.sql("select id from config_request where device_id = ? and idempotency_key = ?")
        .params(UUID.fromString(device), key)
        .query(UUID.class)
        .single();
  }

  private String waitingFor(String device, String key) {
    return jdbc.sql(
            "select coalesce(waiting_for, 'none') from config_request"
                + " where device_id = ? and idempotency_key = ?")
        .params(UUID.fromString(device), key)
        .query(String.class)
        .optional()
        .orElse("none");
  }

  private int versions(String device) {
    return jdbc.sql("select count(*) from config_version where device_id = ?")
        .param(UUID.fromString(device))
        .query(Integer.class)
        .single();
  }
}
