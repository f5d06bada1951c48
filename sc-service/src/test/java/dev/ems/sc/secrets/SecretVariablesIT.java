package dev.ems.sc.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.sc.ScApi;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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

/**
 * Secret variables (issue 13): sealed at rest, masked in every operator response, in clear only in
 * what the device fetches.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SecretVariablesIT {

  private static final String TEMPLATE =
      "tenant {{ tenantPsk }}\nsite {{ sitePsk }}\ndevice {{ devicePsk }}\n"
          + "request {{ requestPsk }}\nupper {{ requestPsk|upper }}\nplain {{ plain }}\n";

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  ScApi api;

  /** Every value unique to the test, so no other test's rows can contain it. */
  String tenantPsk;

  String sitePsk;
  String devicePsk;
  String requestPsk;

  @BeforeEach
  void setUp() {
    api = new ScApi(mvc, json);
    String run = UUID.randomUUID().toString().substring(0, 8);
    tenantPsk = "tenant-" + run;
    sitePsk = "site-" + run;
    devicePsk = "device-" + run;
    requestPsk = "request-" + run;
  }

  private List<String> secrets() {
    return List.of(tenantPsk, sitePsk, devicePsk, requestPsk, requestPsk.toUpperCase());
  }

  private static Map<String, Object> secret(String value) {
    return Map.of("secret", value);
  }

  /** A device of its own model whose site, device and tenant variables hold one secret each. */
  private String deviceWithSecrets() throws Exception {
    String model = model(TEMPLATE);
    // keep what other tests stored for the tenant: a GET's masks written back keep its secrets
    Map<String, Object> tenant = new LinkedHashMap<>();
    api.get("/api/v1/variables")
        .body()
        .get("variables")
        .properties()
        .forEach(e -> tenant.put(e.getKey(), json.treeToValue(e.getValue(), Object.class)));
    tenant.put("tenantPsk", secret(tenantPsk));
    var put = api.put("/api/v1/variables", Map.of("variables", tenant));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    String site =
        api.post(
                "/api/v1/sites",
                Map.of(
                    "name",
                    "s-" + UUID.randomUUID(),
                    "variables",
                    Map.of("sitePsk", secret(sitePsk))))
            .body()
            .get("id")
            .asString();
    return api.createDevice(
        Map.of(
            "serial",
            "S-" + UUID.randomUUID(),
            "model",
            model,
            "name",
            "n",
            "siteId",
            site,
            "variables",
            Map.of("devicePsk", secret(devicePsk), "plain", "visible")));
  }

  private JsonNode requestWithSecret(String device) throws Exception {
    return requestWithSecret(device, requestPsk);
  }

  private JsonNode requestWithSecret(String device, String value) throws Exception {
    JsonNode request = api.requestConfig(device, Map.of("requestPsk", secret(value)));
    assertThat(request.get("status").asString()).as(request.toString()).isEqualTo("COMPLETED");
    return request;
  }

  @Test
  void secretVariableIsEncryptedAtRest() throws Exception {
    String device = deviceWithSecrets();
    requestWithSecret(device);
    UUID id = UUID.fromString(device);

    String rows =
        String.join(
            "\n",
            String.join(
                "\n",
                jdbc.sql("select variables::text from tenant_variables")
                    .query(String.class)
                    .list()),
            jdbc.sql(
                    "select s.variables::text from site s join device d on d.site_id = s.id where d.id = ?")
                .param(id)
                .query(String.class)
                .single(),
            jdbc.sql("select variables::text from device where id = ?")
                .param(id)
                .query(String.class)
                .single(),
            jdbc.sql("select variables::text from config_request where device_id = ?")
                .param(id)
                .query(String.class)
                .single(),
            jdbc.sql(
                    "select files::text || inputs::text || device_files_sealed from config_version"
                        + " where device_id = ?")
                .param(id)
                .query(String.class)
                .single());

    assertThat(rows).contains("$secret", "v1:", "visible");
    for (String secret : secrets()) {
      assertThat(rows).doesNotContainIgnoringCase(secret);
    }
  }

  @Test
  void secretIsRedactedInEveryOperatorResponse() throws Exception {
    String device = deviceWithSecrets();
    JsonNode request = requestWithSecret(device);
    requestWithSecret(device, requestPsk + "-2");
    String site = api.get("/api/v1/devices/" + device).body().get("siteId").asString();

    var responses =
        List.of(
            api.get("/api/v1/variables"),
            api.get("/api/v1/sites/" + site),
            api.get("/api/v1/sites"),
            api.get("/api/v1/devices/" + device),
            api.get(
                "/api/v1/devices?model="
                    + api.get("/api/v1/devices/" + device).body().get("model").asString()),
            api.post(
                "/api/v1/devices/" + device + "/config-requests",
                Map.of("variables", Map.of("requestPsk", secret(requestPsk)), "dryRun", true)),
            api.get("/api/v1/devices/" + device + "/configs/1"),
            api.get(request.get("statusUrl").asString()));

    for (var response : responses) {
      assertThat(response.status()).as(response.text()).isEqualTo(200);
      for (String secret : secrets()) {
        assertThat(response.text()).doesNotContainIgnoringCase(secret);
      }
    }
    // versions 1 and 2 differ only in the secret: as operators see them (masked) they are the
    // same, so their diff is empty (204), and shows no secret
    var diff = api.get("/api/v1/devices/" + device + "/configs/1/diff/2");
    assertThat(diff.status()).as(diff.text()).isEqualTo(204);
    for (var response : List.of(diff)) {
      for (String secret : secrets()) {
        assertThat(response.text()).doesNotContainIgnoringCase(secret);
      }
    }
    assertThat(
            api.get("/api/v1/devices/" + device)
                .body()
                .at("/variables/devicePsk/secret")
                .asString())
        .isEqualTo("******");
    JsonNode version = api.get("/api/v1/devices/" + device + "/configs/1").body();
    assertThat(version.at("/inputs/request/requestPsk/secret").asString()).isEqualTo("******");
    assertThat(version.at("/inputs/tenant/tenantPsk/secret").asString()).isEqualTo("******");
    assertThat(version.get("secretsRedacted").asBoolean()).isTrue();
    // a template that transforms a secret shows the transformed mask, not the secret
    assertThat(version.at("/files/0/content").asString())
        .contains("device ******", "upper ******", "plain visible");
  }

  @Test
  void deviceBundleCarriesTheSecretInClear() throws Exception {
    String device = deviceWithSecrets();
    requestWithSecret(device);
    UUID id = UUID.fromString(device);

    ConfigPublished published = published(id, 1);
    String bundle = published.files().stream().map(ConfigFile::content).reduce("", String::concat);

    assertThat(bundle)
        .contains(
            "tenant " + tenantPsk,
            "site " + sitePsk,
            "device " + devicePsk,
            "request " + requestPsk,
            "upper " + requestPsk.toUpperCase());
    requestWithSecret(device, "other-value");
    var rollback = api.post("/api/v1/devices/" + device + "/configs/1/rollback", null);
    assertThat(rollback.status()).as(rollback.text()).isEqualTo(201);
    // the rolled-back version republishes the sealed device files, not the operators' copy
    ConfigPublished rolledBack = published(id, 3);
    assertThat(rolledBack.sha256()).isEqualTo(published.sha256());
    assertThat(rolledBack.files()).isEqualTo(published.files());
    assertThat(rolledBack.cause()).isEqualTo("rollback:1");
  }

  @Test
  void writingTheMaskBackKeepsTheStoredSecret() throws Exception {
    String device = deviceWithSecrets();
    var current = api.get("/api/v1/devices/" + device);
    JsonNode body = current.body();
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("model", body.get("model").asString());
    update.put("name", "renamed");
    update.put("siteId", body.get("siteId").asString());
    update.put("tags", List.of());
    update.put("variables", json.treeToValue(body.get("variables"), Map.class));

    var put =
        api.call(
            org.springframework.http.HttpMethod.PUT,
            "/api/v1/devices/" + device,
            update,
            Map.of("If-Match", current.header("ETag")));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    requestWithSecret(device);

    assertThat(published(UUID.fromString(device), 1).files().getFirst().content())
        .contains("device " + devicePsk);
    var noneStored =
        api.post(
            "/api/v1/devices/" + device + "/config-requests",
            Map.of("variables", Map.of("requestPsk", secret("******"))));
    assertThat(noneStored.status()).isEqualTo(422);
    assertThat(noneStored.text()).contains("variables.requestPsk");
  }

  @Test
  void whenTheMaskedRenderFailsNothingOfTheClearFilesIsShown() throws Exception {
    // the mask (6 characters) takes a branch the real value does not, and that branch fails
    String device =
        api.createDevice(
            Map.of(
                "serial",
                "S-" + UUID.randomUUID(),
                "model",
                model("key {{ psk|reverse }}\n{% if psk|length < 7 %}{{ undefined }}{% endif %}\n"),
                "name",
                "n"));

    var dryRun =
        api.post(
            "/api/v1/devices/" + device + "/config-requests",
            Map.of("variables", Map.of("psk", secret(requestPsk)), "dryRun", true));

    assertThat(dryRun.status()).as(dryRun.text()).isEqualTo(200);
    assertThat(dryRun.body().at("/files/0/content").asString()).startsWith("# not shown");
    assertThat(dryRun.text())
        .doesNotContain(requestPsk)
        .doesNotContain(new StringBuilder(requestPsk).reverse());
  }

  @Test
  void aFailureReasonQuotingASecretIsRedacted() throws Exception {
    String device =
        api.createDevice(
            Map.of(
                "serial",
                "S-" + UUID.randomUUID(),
                "model",
                model("{% include psk %}\n"),
                "name",
                "n"));

    JsonNode request = api.requestConfig(device, Map.of("psk", secret(requestPsk)));
    var dryRun =
        api.post(
            "/api/v1/devices/" + device + "/config-requests",
            Map.of("variables", Map.of("psk", secret(requestPsk)), "dryRun", true));

    assertThat(request.get("status").asString()).isEqualTo("FAILED");
    // the engine's message quotes the include's name: the value, replaced by the mask
    assertThat(request.get("failureReason").asString())
        .contains("******")
        .doesNotContain(requestPsk);
    assertThat(dryRun.status()).isEqualTo(422);
    assertThat(dryRun.text()).doesNotContain(requestPsk);
  }

  private String model(String template) throws Exception {
    String model = "s-" + UUID.randomUUID().toString().substring(0, 8);
    var put = api.put("/api/v1/templates/" + model, Map.of("files", Map.of("/etc/out", template)));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    return model;
  }

  @Test
  void aViewerSeesNoVariables() throws Exception {
    String device = deviceWithSecrets();
    requestWithSecret(device);
    String site = api.get("/api/v1/devices/" + device).body().get("siteId").asString();
    String viewer =
        api.post("/api/v1/api-keys", Map.of("name", "v-" + UUID.randomUUID(), "role", "VIEWER"))
            .body()
            .get("key")
            .asString();

    JsonNode deviceSeen = json.readTree(viewerGet(viewer, "/api/v1/devices/" + device, 200));
    JsonNode siteSeen = json.readTree(viewerGet(viewer, "/api/v1/sites/" + site, 200));

    assertThat(deviceSeen.get("variables").isNull()).isTrue();
    assertThat(siteSeen.get("variables").isNull()).isTrue();
    assertThat(viewerGet(viewer, "/api/v1/devices", 200)).doesNotContain("devicePsk");
    assertThat(viewerGet(viewer, "/api/v1/sites", 200)).doesNotContain("sitePsk");
    viewerGet(viewer, "/api/v1/variables", 403);
    viewerGet(viewer, "/api/v1/devices/" + device + "/configs/1", 403);
    viewerGet(viewer, "/api/v1/devices/" + device + "/configs/1/diff/1", 403);
  }

  private String viewerGet(String key, String path, int status) throws Exception {
    var response =
        mvc.perform(get(path).header("Authorization", "Bearer " + key)).andReturn().getResponse();
    assertThat(response.getStatus()).as(path).isEqualTo(status);
    return response.getContentAsString();
  }

  private static ConfigPublished published(UUID deviceId, int version) {
    return TestEvents.awaitEvent(
            Topics.SC_CONFIGS,
            ConfigPublished.class,
            e -> e.subject().equals(deviceId.toString()) && e.payload().version() == version,
            Duration.ofSeconds(30))
        .payload();
  }
}
