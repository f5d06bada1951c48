package dev.ems.tw.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.FeatureFragment;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.tw.TwApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class CatalogueIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  TwApi api;

  @BeforeEach
  void api() {
    api = new TwApi(mvc, json);
  }

  @Test
  void builtInFeaturesAreListedWithSchemasTemplatesAndRules() throws Exception {
    JsonNode list = api.get("/api/v1/features").body();
    List<String> keys = list.valueStream().map(f -> f.get("key").asString()).toList();

    assertThat(keys)
        .contains(
            "mgmt-ipsec",
            "wan",
            "lan-dhcp",
            "vlans",
            "static-routes",
            "firewall",
            "ntp-dns",
            "qos");
    JsonNode vlans = api.get("/api/v1/features/vlans").body();
    assertThat(vlans.get("builtIn").asBoolean()).isTrue();
    assertThat(vlans.at("/dependsOn/0").asString()).isEqualTo("lan-dhcp");
    assertThat(vlans.at("/parametersSchema/properties/vlans/type").asString()).isEqualTo("array");
    assertThat(vlans.at("/fragments/openwrt-default/0/path").asString())
        .isEqualTo("/etc/config/network");
    assertThat(vlans.at("/fragments/openwrt-default/0/mode").asString()).isEqualTo("SECTIONS");
    assertThat(vlans.at("/fragments/openwrt-default/0/template").asString())
        .contains("config bridge-vlan");
    JsonNode qos = api.get("/api/v1/features/qos").body();
    assertThat(qos.at("/fragments/openwrt-default/0/path").asString()).isEqualTo("/etc/config/sqm");
    assertThat(qos.at("/fragments/openwrt-default/0/mode").asString()).isEqualTo("FILE");
  }

  @Test
  void featureIsAddedUpdatedWithIfMatchAndPublished() throws Exception {
    String key = api.createFeature("rate", List.of("wan"), List.of());
    var read = api.get("/api/v1/features/" + key);
    String etag = read.header("ETag");

    var updated =
        api.call(
            HttpMethod.PUT,
            "/api/v1/features/" + key,
            Map.of(
                "description", "v2",
                "parametersSchema", Map.of("type", "object"),
                "templates", Map.of("openwrt-default", "# {{ rate }}")),
            Map.of("If-Match", etag));
    var stale =
        api.call(
            HttpMethod.PUT,
            "/api/v1/features/" + key,
            Map.of("description", "lost", "parametersSchema", Map.of("type", "object")),
            Map.of("If-Match", etag));

    assertThat(read.body().get("version").asInt()).isEqualTo(1);
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().get("version").asInt()).isEqualTo(2);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition-failed");
    assertThat(api.get("/api/v1/features/" + key).body().get("description").asString())
        .isEqualTo("v2");
    var event =
        TestEvents.awaitEvent(
            Topics.TW_FEATURE_DEFINITIONS,
            FeatureDefinitionChanged.class,
            e -> e.payload().key().equals(key) && e.payload().version() == 2,
            Duration.ofSeconds(30));
    // one record key per version: compaction keeps every version a device may still run
    assertThat(event.subject()).isEqualTo("default/" + key + "/2");
    assertThat(event.payload().templates()).containsEntry("openwrt-default", "# {{ rate }}");
  }

  @Test
  void invalidSchemaIsRefusedWithItsPathAndNothingIsStored() throws Exception {
    var r =
        api.put(
            "/api/v1/features/bad-schema",
            Map.of("parametersSchema", Map.of("type", "object", "properties", Map.of("a", 5))));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.code()).isEqualTo("feature-schema-invalid");
    assertThat(r.body().get("field").asString()).startsWith("parametersSchema.properties.a");
    assertThat(api.get("/api/v1/features/bad-schema").status()).isEqualTo(404);
  }

  @Test
  void unknownDependencyAndSelfReferenceAreRefused() throws Exception {
    var unknown =
        api.put(
            "/api/v1/features/needs-ghost",
            Map.of("parametersSchema", Map.of("type", "object"), "dependsOn", List.of("ghost")));
    var self =
        api.put(
            "/api/v1/features/selfish",
            Map.of(
                "parametersSchema", Map.of("type", "object"), "conflictsWith", List.of("selfish")));
    var badKey = api.put("/api/v1/features/Bad_Key", Map.of("parametersSchema", Map.of()));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("feature-not-found");
    assertThat(unknown.body().get("field").asString()).isEqualTo("dependsOn[0]");
    assertThat(self.status()).isEqualTo(422);
    assertThat(self.body().get("field").asString()).isEqualTo("conflictsWith[0]");
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.body().get("field").asString()).isEqualTo("key");
  }

  @Test
  void tenantDefinitionShadowsBuiltInWithHigherVersionAndDeleteRestoresIt() throws Exception {
    String key = "firewall";
    int builtIn = api.get("/api/v1/features/" + key).body().get("version").asInt();
    var own =
        api.put("/api/v1/features/" + key, Map.of("parametersSchema", Map.of("type", "object")));
    var deleted = api.delete("/api/v1/features/" + key);
    var builtInDelete = api.delete("/api/v1/features/" + key);

    assertThat(own.status()).isEqualTo(201);
    assertThat(own.body().get("version").asInt()).isGreaterThan(builtIn);
    assertThat(own.body().get("builtIn").asBoolean()).isFalse();
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/features/" + key).body().get("builtIn").asBoolean()).isTrue();
    assertThat(builtInDelete.status()).isEqualTo(409);
  }

  @Test
  void fragmentsAreStoredShownAndPublishedWithTheirOutputFiles() throws Exception {
    var fragment =
        Map.of(
            "name",
            "sqm",
            "path",
            "/etc/config/sqm",
            "mode",
            "FILE",
            "template",
            "config queue 'wan'\n\toption download '{{ rate }}'\n");
    var r =
        api.put(
            "/api/v1/features/shaper",
            Map.of(
                "parametersSchema",
                Map.of("type", "object"),
                "fragments",
                Map.of("openwrt-default", List.of(fragment))));

    assertThat(r.status()).isEqualTo(201);
    assertThat(
            api.get("/api/v1/features/shaper")
                .body()
                .at("/fragments/openwrt-default/0/template")
                .asString())
        .contains("{{ rate }}");
    var event =
        TestEvents.awaitEvent(
            Topics.TW_FEATURE_DEFINITIONS,
            FeatureDefinitionChanged.class,
            e -> e.payload().key().equals("shaper"),
            Duration.ofSeconds(30));
    assertThat(event.subject()).isEqualTo("default/shaper/1");
    assertThat(event.payload().fragments().get("openwrt-default"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("/etc/config/sqm");
              assertThat(f.mode()).isEqualTo(FeatureFragment.Mode.FILE);
            });
  }

  @Test
  void aFragmentWithASyntaxErrorIsRefusedNamingItsFieldAndLineAndNothingIsStored()
      throws Exception {
    var good = Map.of("name", "a", "path", "/etc/config/a", "mode", "SECTIONS", "template", "");
    var broken =
        Map.of(
            "name",
            "b",
            "path",
            "/etc/config/b",
            "mode",
            "SECTIONS",
            "template",
            "config b\n{% if x %}\nno endif\n");
    var r =
        api.put(
            "/api/v1/features/broken-fragment",
            Map.of(
                "parametersSchema",
                Map.of("type", "object"),
                "fragments",
                Map.of("openwrt-default", List.of(good, broken))));
    var relative =
        api.put(
            "/api/v1/features/relative-fragment",
            Map.of(
                "parametersSchema",
                Map.of("type", "object"),
                "fragments",
                Map.of(
                    "openwrt-default",
                    List.of(
                        Map.of(
                            "name", "a", "path", "etc/../x", "mode", "FILE", "template", "x")))));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.code()).isEqualTo("feature-schema-invalid");
    assertThat(r.body().get("field").asString()).isEqualTo("fragments.openwrt-default[1].template");
    assertThat(r.body().get("detail").asString()).contains("line 2");
    assertThat(api.get("/api/v1/features/broken-fragment").status()).isEqualTo(404);
    assertThat(relative.status()).isEqualTo(422);
    assertThat(relative.body().get("field").asString())
        .isEqualTo("fragments.openwrt-default[0].path");
    assertThat(api.get("/api/v1/features/relative-fragment").status()).isEqualTo(404);
  }
}
