package dev.ems.sc.changeset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ChangeSetFeaturesApproved;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.FeatureFragment;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.sc.ScApi;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Change sets end to end on PostgreSQL and Kafka: staged, diffed per device, refused to their
 * author, approved by a second key, applied at once or when the site's window opens, discarded.
 * tw-service is played by the test: it answers the approved feature changes with the device's new
 * feature set, as tw-service's listener does (tested there).
 */
@SpringBootTest
@AutoConfigureMockMvc
class ChangeSetIT {

  private static final Path FEATURES = Path.of("../tw-service/src/main/resources/tw-features");

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired ChangeSetApplier applier;
  ScApi api;
  String approver;

  @BeforeEach
  void setUp() throws Exception {
    api = new ScApi(mvc, json);
    var key =
        api.post(
            "/api/v1/api-keys",
            Map.of("name", "approver-" + UUID.randomUUID(), "role", "OPERATOR"));
    approver = "Bearer " + key.body().get("key").asString();
    definition("wan");
    definition("qos");
  }

  /** Publishes a built-in feature as tw-service does and waits until SC has stored it. */
  private int definition(String key) throws Exception {
    Map<String, Object> file =
        json.readValue(
            FEATURES.resolve(key + ".json").toFile(), new TypeReference<Map<String, Object>>() {});
    int version = (Integer) file.get("version");
    Map<String, List<FeatureFragment>> fragments =
        json.convertValue(
            file.get("fragments"), new TypeReference<Map<String, List<FeatureFragment>>>() {});
    @SuppressWarnings("unchecked")
    var event =
        new FeatureDefinitionChanged(
            key,
            version,
            (String) file.get("description"),
            (Map<String, Object>) file.get("parametersSchema"),
            null,
            (List<String>) file.get("dependsOn"),
            (List<String>) file.get("conflictsWith"),
            false,
            Instant.parse("2026-01-01T00:00:00Z"),
            fragments);
    TestEvents.publish(
        Topics.TW_FEATURE_DEFINITIONS,
        EventEnvelope.of("/tw-service/features", "*", "*/" + key + "/" + version, event));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from feature_parameter_schema where tenant_id = '*'"
                                + " and key = ? and version = ?")
                        .params(key, version)
                        .query(Integer.class)
                        .single()
                    == 1);
    return version;
  }

  private ScApi.Response as(String authorization, HttpMethod method, String path, Object body)
      throws Exception {
    var builder = request(method, path).header("Authorization", authorization);
    if (body != null) {
      builder.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body));
    }
    var result = mvc.perform(builder).andReturn();
    String text = result.getResponse().getContentAsString();
    return new ScApi.Response(
        result.getResponse().getStatus(),
        text.startsWith("{") || text.startsWith("[") ? json.readTree(text) : null,
        text,
        result);
  }

  private String device(String siteId) throws Exception {
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("serial", "CS-" + UUID.randomUUID());
    device.put("model", "openwrt-default");
    device.put("name", "edge");
    if (siteId != null) {
      device.put("siteId", siteId);
    }
    String id = api.createDevice(device);
    assertThat(api.requestConfig(id, Map.of()).get("status").asString()).isEqualTo("COMPLETED");
    return id;
  }

  private int versions(String device) {
    return jdbc.sql("select count(*) from config_version where device_id = ?::uuid")
        .param(device)
        .query(Integer.class)
        .single();
  }

  private int changeSets() {
    return jdbc.sql("select count(*) from change_set").query(Integer.class).single();
  }

  private static Map<String, Object> variables(String device, Map<String, Object> variables) {
    return Map.of("type", "VARIABLES", "deviceId", device, "variables", variables);
  }

  private JsonNode awaitStatus(String id, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              last[0] = api.get("/api/v1/change-sets/" + id).body();
              return last[0].get("status").asString().equals(status);
            });
    return last[0];
  }

  @Test
  void aStagedSetShowsItsDiffIsApprovedByASecondKeyAndMakesOneVersion() throws Exception {
    String device = device(null);
    int wan = definition("wan");
    int qos = definition("qos");
    TestEvents.publish(
        Topics.TW_DEVICE_FEATURES,
        EventEnvelope.of(
            "/tw",
            "default",
            device,
            new DeviceFeaturesChanged(
                UUID.fromString(device),
                1,
                Map.of("wan", new FeatureSetting(wan, Map.of("wan_proto", "dhcp"))),
                Instant.now())));
    // wan over dhcp may render the base set's bundle again: wait for its request, not a version
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from config_request where device_id = ?::uuid"
                                + " and requested_by = 'tw-service' and status = 'COMPLETED'")
                        .param(device)
                        .query(Integer.class)
                        .single()
                    == 1);
    int base = versions(device);

    Map<String, Object> qosParams = Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000);
    var created =
        api.post(
            "/api/v1/change-sets",
            Map.of(
                "description",
                "shape the uplink",
                "apply",
                "NOW",
                "operations",
                List.of(
                    variables(device, Map.of("syslog_server", Map.of("secret", "192.0.2.99"))),
                    Map.of(
                        "type",
                        "FEATURE",
                        "deviceIds",
                        List.of(device),
                        "featureKey",
                        "qos",
                        "action",
                        "ENABLE",
                        "params",
                        qosParams))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.text()).doesNotContain("192.0.2.99");
    String id = created.body().get("id").asString();

    var draft = api.get("/api/v1/change-sets/" + id).body();
    assertThat(draft.get("status").asString()).isEqualTo("DRAFT");
    JsonNode preview = draft.at("/previews/0");
    assertThat(preview.get("deviceId").asString()).isEqualTo(device);
    assertThat(preview.get("fromVersion").asInt()).isEqualTo(base);
    String diff = preview.get("diff").asString();
    assertThat(diff)
        .contains(
            "--- /dev/null", "+++ v" + (base + 1) + "/etc/config/sqm", "+\toption download '48123'")
        .contains("+\toption log_ip '******'")
        .doesNotContain("192.0.2.99");

    var byAuthor = api.post("/api/v1/change-sets/" + id + "/approve", null);
    assertThat(byAuthor.status()).isEqualTo(403);
    assertThat(byAuthor.body().get("code").asString()).isEqualTo("author-cannot-approve");
    assertThat(api.get("/api/v1/change-sets/" + id).body().get("status").asString())
        .isEqualTo("DRAFT");

    var approved = as(approver, HttpMethod.POST, "/api/v1/change-sets/" + id + "/approve", null);
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    // the approval applies what is due; the scheduled sweep may have taken the device first
    assertThat(approved.body().get("status").asString()).isIn("APPROVED", "APPLYING");

    // tw-service's part: the approved changes arrive, the device's feature set changes
    var handed =
        TestEvents.awaitEvent(
            Topics.SC_CHANGE_SETS,
            ChangeSetFeaturesApproved.class,
            e -> e.payload().changeSetId().toString().equals(id),
            Duration.ofSeconds(30));
    assertThat(handed.subject()).isEqualTo(device);
    assertThat(handed.payload().changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.featureKey()).isEqualTo("qos");
              assertThat(c.action()).isEqualTo("ENABLE");
              assertThat(c.params()).containsEntry("qos_download_kbps", 48123);
            });
    TestEvents.publish(
        Topics.TW_DEVICE_FEATURES,
        EventEnvelope.of(
            "/tw",
            "default",
            device,
            new DeviceFeaturesChanged(
                UUID.fromString(device),
                2,
                Map.of(
                    "wan", new FeatureSetting(wan, Map.of("wan_proto", "dhcp")),
                    "qos", new FeatureSetting(qos, qosParams)),
                Instant.now())));

    var applied = awaitStatus(id, "APPLIED");
    assertThat(applied.at("/devices/0/status").asString()).isEqualTo("APPLIED");
    assertThat(applied.at("/devices/0/configVersion").asInt()).isEqualTo(base + 1);
    assertThat(versions(device)).as("one version for variables and feature").isEqualTo(base + 1);
    String v3 = api.get("/api/v1/devices/" + device + "/configs/" + (base + 1)).body().toString();
    assertThat(v3).contains("option download '48123'", "option log_ip '******'");
    assertThat(v3).doesNotContain("192.0.2.99");
  }

  @Test
  void aSetForASiteWithAWindowWaitsForItsOpening() throws Exception {
    String site =
        api.post("/api/v1/sites", Map.of("name", "w-" + UUID.randomUUID()))
            .body()
            .get("id")
            .asString();
    Instant now = Instant.now();
    LocalTime start = LocalTime.ofInstant(now.plus(3, ChronoUnit.HOURS), ZoneOffset.UTC);
    var window =
        api.put(
            "/api/v1/sites/" + site + "/maintenance-window",
            Map.of(
                "days",
                List.of(
                    "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"),
                "start",
                start.format(DateTimeFormatter.ofPattern("HH:mm")),
                "durationMinutes",
                60,
                "timeZone",
                "UTC"));
    assertThat(window.status()).as(window.text()).isEqualTo(200);
    String device = device(site);
    var created =
        api.post(
            "/api/v1/change-sets",
            Map.of(
                "apply",
                "MAINTENANCE_WINDOW",
                "operations",
                List.of(variables(device, Map.of("syslog_server", "192.0.2.7")))));
    String id = created.body().get("id").asString();

    var approved = as(approver, HttpMethod.POST, "/api/v1/change-sets/" + id + "/approve", null);
    assertThat(approved.body().get("status").asString()).isEqualTo("APPROVED");
    Instant due = Instant.parse(approved.body().at("/devices/0/dueAt").asString());
    assertThat(due).isAfter(now.plus(2, ChronoUnit.HOURS)).isBefore(now.plus(4, ChronoUnit.HOURS));
    assertThat(approved.body().at("/devices/0/status").asString()).isEqualTo("PENDING");
    // the approval applied what was due: this device was not, so nothing was queued for it
    assertThat(
            jdbc.sql("select count(*) from config_request where device_id = ?::uuid")
                .param(device)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    assertThat(applier.applyDue(due.minusSeconds(1))).isZero();

    // the window opens
    assertThat(applier.applyDue(due)).isEqualTo(1);
    var applied = awaitStatus(id, "APPLIED");
    assertThat(applied.at("/devices/0/configVersion").asInt()).isEqualTo(2);
    assertThat(api.get("/api/v1/devices/" + device + "/configs/2").body().toString())
        .contains("option log_ip '192.0.2.7'");
    assertThat(
            api.get("/api/v1/devices/" + device + "/configs/2")
                .body()
                .get("requestedBy")
                .asString())
        .isEqualTo("change-set:" + id);
  }

  @Test
  void withoutFourEyesTheAuthorAppliesATemplateSetAndSiteVariables() throws Exception {
    String tenant = "/api/v1/tenants/" + TestInfrastructure.BOOTSTRAP_TENANT;
    var viewer =
        api.post("/api/v1/api-keys", Map.of("name", "v-" + UUID.randomUUID(), "role", "VIEWER"));
    String viewerKey = "Bearer " + viewer.body().get("key").asString();
    assertThat(as(viewerKey, HttpMethod.PATCH, tenant, Map.of("requireApproval", false)).status())
        .isEqualTo(403);
    assertThat(api.get(tenant + "/settings").body().get("requireApproval").asBoolean()).isTrue();
    var patched = api.call(HttpMethod.PATCH, tenant, Map.of("requireApproval", false), Map.of());
    assertThat(patched.status()).as(patched.text()).isEqualTo(200);
    try {
      String model = "cs-" + UUID.randomUUID().toString().substring(0, 8);
      String site =
          api.post("/api/v1/sites", Map.of("name", "t-" + UUID.randomUUID()))
              .body()
              .get("id")
              .asString();
      String device =
          api.createDevice(
              Map.of(
                  "serial",
                  "T-" + UUID.randomUUID(),
                  "model",
                  model,
                  "name",
                  "edge",
                  "siteId",
                  site));
      api.requestConfig(device, Map.of());
      String id =
          api.post(
                  "/api/v1/change-sets",
                  Map.of(
                      "apply",
                      "MAINTENANCE_WINDOW",
                      "operations",
                      List.of(
                          Map.of(
                              "type",
                              "TEMPLATE_SET",
                              "model",
                              model,
                              "files",
                              Map.of("/etc/out", "{{ note }} {{ device.name }}\n")),
                          Map.of(
                              "type",
                              "VARIABLES",
                              "siteId",
                              site,
                              "variables",
                              Map.of("note", "hi")))))
              .body()
              .get("id")
              .asString();
      var viewed = as(viewerKey, HttpMethod.GET, "/api/v1/change-sets/" + id, null);
      assertThat(viewed.status()).isEqualTo(200);
      assertThat(viewed.body().get("previews").isNull()).as("a VIEWER sees no diff").isTrue();
      assertThat(viewed.text()).doesNotContain("{{ note }}");
      var preview = api.get("/api/v1/change-sets/" + id).body().at("/previews/0/diff").asString();
      assertThat(preview).contains("+hi edge");

      // the site has no window: the author's approval applies at once
      var approved = api.post("/api/v1/change-sets/" + id + "/approve", null);
      assertThat(approved.status()).as(approved.text()).isEqualTo(200);
      awaitStatus(id, "APPLIED");
      assertThat(
              api.get("/api/v1/devices/" + device + "/configs/2")
                  .body()
                  .at("/files/0/content")
                  .asString())
          .isEqualTo("hi edge\n");
      assertThat(api.get("/api/v1/templates/" + model).status()).isEqualTo(200);
    } finally {
      api.call(HttpMethod.PATCH, tenant, Map.of("requireApproval", true), Map.of());
    }
  }

  @Test
  void twoSweepsAtOnceApplyEachDueDeviceOnce() throws Exception {
    String site =
        api.post("/api/v1/sites", Map.of("name", "r-" + UUID.randomUUID()))
            .body()
            .get("id")
            .asString();
    LocalTime start = LocalTime.ofInstant(Instant.now().plus(5, ChronoUnit.HOURS), ZoneOffset.UTC);
    api.put(
        "/api/v1/sites/" + site + "/maintenance-window",
        Map.of(
            "days",
            List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"),
            "start",
            start.format(DateTimeFormatter.ofPattern("HH:mm")),
            "durationMinutes",
            30,
            "timeZone",
            "UTC"));
    List<String> devices = List.of(device(site), device(site), device(site), device(site));
    String id =
        api.post(
                "/api/v1/change-sets",
                Map.of(
                    "apply",
                    "MAINTENANCE_WINDOW",
                    "operations",
                    List.of(
                        Map.of(
                            "type",
                            "VARIABLES",
                            "siteId",
                            site,
                            "variables",
                            Map.of("syslog_server", "192.0.2.44")))))
            .body()
            .get("id")
            .asString();
    var approved = as(approver, HttpMethod.POST, "/api/v1/change-sets/" + id + "/approve", null);
    assertThat(approved.body().get("devices")).hasSize(4);
    Instant due = Instant.parse(approved.body().at("/devices/0/dueAt").asString());

    // two replicas' sweeps at the window's opening
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
      var a = pool.submit(() -> applier.applyDue(due, UUID.fromString(id)));
      var b = pool.submit(() -> applier.applyDue(due, UUID.fromString(id)));
      assertThat(a.get() + b.get()).isEqualTo(4);
    }
    for (String device : devices) {
      assertThat(
              jdbc.sql(
                      "select count(*) from config_request where device_id = ?::uuid"
                          + " and requested_by = ?")
                  .params(device, "change-set:" + id)
                  .query(Integer.class)
                  .single())
          .isEqualTo(1);
    }
    var applied = awaitStatus(id, "APPLIED");
    assertThat(applied.get("devices").findValuesAsString("status")).containsOnly("APPLIED");
    assertThat(api.get("/api/v1/sites/" + site).body().at("/variables/syslog_server").asString())
        .isEqualTo("192.0.2.44");
  }

  @Test
  void aDiscardedSetIsNeverApplied() throws Exception {
    String device = device(null);
    String id =
        api.post(
                "/api/v1/change-sets",
                Map.of(
                    "apply",
                    "NOW",
                    "operations",
                    List.of(variables(device, Map.of("syslog_server", "192.0.2.8")))))
            .body()
            .get("id")
            .asString();
    var discarded = api.post("/api/v1/change-sets/" + id + "/discard", null);
    assertThat(discarded.body().get("status").asString()).isEqualTo("DISCARDED");
    var approve = as(approver, HttpMethod.POST, "/api/v1/change-sets/" + id + "/approve", null);
    assertThat(approve.status()).isEqualTo(409);
    assertThat(approve.body().get("code").asString()).isEqualTo("change-set-state-invalid");
    assertThat(versions(device)).isEqualTo(1);
    assertThat(api.get("/api/v1/change-sets").body().findValuesAsString("id")).contains(id);
    var unknown = api.get("/api/v1/change-sets/" + UUID.randomUUID());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("code").asString()).isEqualTo("change-set-not-found");
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndStoresNothing() throws Exception {
    String device = device(null);
    String gone = device(null);
    assertThat(api.call(HttpMethod.DELETE, "/api/v1/devices/" + gone, null, Map.of()).status())
        .isEqualTo(204);
    int before = changeSets();

    assertRefused(
        List.of(
            Map.of(
                "type",
                "FEATURE",
                "deviceIds",
                List.of(device),
                "featureKey",
                "no-such-feature",
                "action",
                "ENABLE")),
        "operations[0].featureKey");
    assertRefused(
        List.of(
            variables(device, Map.of("ntp_servers", List.of("a"))),
            Map.of(
                "type",
                "FEATURE",
                "deviceIds",
                List.of(device, gone),
                "featureKey",
                "qos",
                "action",
                "DISABLE")),
        "operations[1].deviceIds[1]");
    assertRefused(List.of(variables(gone, Map.of("x", "y"))), "operations[0].deviceId");
    assertRefused(
        List.of(
            Map.of(
                "type",
                "FEATURE",
                "deviceIds",
                List.of(device),
                "featureKey",
                "qos",
                "action",
                "ENABLE",
                "params",
                Map.of("qos_download_kbps", 1, "qos_upload_kbps", 9000))),
        "operations[0].params.qos_download_kbps");
    // qos needs wan, which the device does not run: tw-service would refuse it after approval
    assertRefused(
        List.of(
            Map.of(
                "type",
                "FEATURE",
                "deviceIds",
                List.of(device),
                "featureKey",
                "qos",
                "action",
                "ENABLE",
                "params",
                Map.of("qos_download_kbps", 100, "qos_upload_kbps", 100))),
        "operations[0].featureKey");
    assertRefused(
        List.of(variables(device, Map.of("timezone", List.of("a", "b")))),
        "operations[0].variables.timezone");
    assertRefused(
        List.of(
            Map.of(
                "type",
                "TEMPLATE_SET",
                "model",
                "m-" + UUID.randomUUID().toString().substring(0, 8),
                "files",
                Map.of("/etc/out", "{% if %}"))),
        "operations[0].files./etc/out");
    assertRefused(List.of(Map.of("type", "REBOOT")), "operations[0].type");
    var unknownField =
        api.post(
            "/api/v1/change-sets",
            Map.of(
                "apply",
                "NOW",
                "operations",
                List.of(Map.of("type", "VARIABLES", "deviceId", device, "bogus", 1))));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.body().get("field").asString()).isEqualTo("operations[0].bogus");
    var neverApplies =
        api.post(
            "/api/v1/change-sets",
            Map.of("apply", "SOMETIME", "operations", List.of(variables(device, Map.of()))));
    assertThat(neverApplies.status()).isEqualTo(422);
    assertThat(neverApplies.body().get("field").asString()).isEqualTo("apply");

    String site =
        api.post("/api/v1/sites", Map.of("name", "n-" + UUID.randomUUID()))
            .body()
            .get("id")
            .asString();
    String path = "/api/v1/sites/" + site + "/maintenance-window";
    Map<String, Object> window = new LinkedHashMap<>();
    window.put("days", List.of("MONDAY"));
    window.put("start", "02:00");
    window.put("durationMinutes", 60);
    window.put("timeZone", "Europe/Berlin");
    assertWindowRefused(path, window, "days", List.of());
    assertWindowRefused(path, window, "durationMinutes", 0);
    assertWindowRefused(path, window, "timeZone", "Mars/Olympus_Mons");
    assertWindowRefused(path, window, "start", "25:00");
    assertThat(api.get(path).status()).as("nothing stored").isEqualTo(404);
    assertThat(changeSets()).isEqualTo(before);
  }

  private void assertRefused(List<Map<String, Object>> operations, String field) throws Exception {
    var r = api.post("/api/v1/change-sets", Map.of("apply", "NOW", "operations", operations));
    assertThat(r.status()).as(r.text()).isBetween(400, 499);
    assertThat(r.body().get("field").asString()).as(r.text()).isEqualTo(field);
  }

  private void assertWindowRefused(
      String path, Map<String, Object> valid, String field, Object value) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>(valid);
    body.put(field, value);
    var r = api.put(path, body);
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.body().get("field").asString()).isEqualTo(field);
  }
}
