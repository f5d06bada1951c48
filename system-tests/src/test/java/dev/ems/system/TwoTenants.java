package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.embedded.RawHttp;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two real tenants made through the API: A with one resource of every kind an operator endpoint can
 * name (and a device that enrolled, ran a rollout's change and reported it failed), B with nothing
 * but its first ADMIN key.
 */
final class TwoTenants {

  /** The kinds of resource a path variable names. */
  enum Kind {
    DEVICE,
    SITE,
    CONFIG_REQUEST,
    VERSION,
    TEMPLATE_MODEL,
    FEATURE,
    DEVICE_FEATURE,
    ROLLOUT,
    CHECK,
    ALERT,
    END_ENTITY,
    CERTIFICATE,
    API_KEY,
    CHANGE_SET,
    WEBHOOK,
    WEBHOOK_DELIVERY;

    /** A value of this kind that names nothing, in any tenant. */
    String unknown() {
      String random = UUID.randomUUID().toString();
      return switch (this) {
        case VERSION -> "1";
        case TEMPLATE_MODEL, FEATURE, DEVICE_FEATURE -> "nothing-" + random.substring(0, 8);
        // a serial in pki's normal form: no leading zero, which pki drops when it echoes the
        // serial in its 404 detail (the walker then could not tell the echo from another's)
        case CERTIFICATE -> "7" + random.replace("-", "").substring(0, 19);
        case WEBHOOK_DELIVERY -> "msg_" + random;
        default -> random;
      };
    }
  }

  static final JsonMapper JSON = new JsonMapper();
  static final String SYSTEM = TestInfrastructure.ADMIN_KEY;
  static final List<String> SERVICES =
      List.of("sc-service", "tw-service", "diagnostic-service", "pki-service");
  private static final Map<String, String> PROBES =
      Map.of(
          "sc-service", "/api/v1/api-keys",
          "tw-service", "/api/v1/rollouts",
          "diagnostic-service", "/api/v1/fleet/health",
          "pki-service", "/api/v1/end-entities");

  final Suite suite;
  final String run = UUID.randomUUID().toString().substring(0, 8);
  final Map<Kind, String> a = new EnumMap<>(Kind.class);

  /** Strings of A's that B must never read: ids, names, serials and variable values. */
  final List<String> secretsOfA = new ArrayList<>();

  String keyA;
  String keyB;

  private TwoTenants(Suite suite) {
    this.suite = suite;
  }

  RawHttp.Response call(String service, String method, String path, String key, String body)
      throws Exception {
    var response =
        RawHttp.send(
            suite.port(service),
            method,
            path,
            Map.of("Authorization", "Bearer " + key),
            body == null ? null : "application/json",
            body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    ApiExchanges.record(
        service,
        method,
        path,
        true,
        body == null ? null : "application/json",
        body,
        response.statusCode(),
        response.header("Content-Type"),
        response.body());
    return response;
  }

  private JsonNode asA(String service, String method, String path, String body, int expected)
      throws Exception {
    var response = call(service, method, path, keyA, body);
    assertThat(response.statusCode())
        .as("setup: %s %s %s -> %s", service, method, path, response.body())
        .isEqualTo(expected);
    return JSON.readTree(response.body());
  }

  static TwoTenants create(Suite suite) throws Exception {
    TwoTenants t = new TwoTenants(suite);
    t.keyA = t.tenant("tenant-a-" + t.run, "Tenant A " + t.run);
    t.keyB = t.tenant("tenant-b-" + t.run, "Tenant B " + t.run);
    for (String service : SERVICES) {
      for (String key : List.of(t.keyA, t.keyB)) {
        await()
            .alias("the new tenants' keys reach " + service)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(300))
            .until(
                () -> t.call(service, "GET", PROBES.get(service), key, null).statusCode() == 200);
      }
    }
    t.inventory();
    t.features();
    t.diagnosticsAndPki();
    t.secretsOfA.add("tenant-a-" + t.run);
    return t;
  }

  private String tenant(String id, String name) throws Exception {
    var created =
        RawHttp.send(
            suite.port("sc-service"),
            "POST",
            "/api/v1/tenants",
            "Bearer " + SYSTEM,
            "application/json",
            ("{\"name\":\"" + name + "\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).at("/adminKey/key").asString();
  }

  private SimulatedDevice device;

  private void inventory() throws Exception {
    // a webhook to an address that never answers (TEST-NET-3): A's device makes a delivery
    JsonNode webhook =
        asA(
            "sc-service",
            "POST",
            "/api/v1/webhooks",
            "{\"url\":\"https://203.0.113.10/a-hook-%s\",\"eventTypes\":[\"dev.ems.DeviceCreated\"]}"
                .formatted(run),
            201);
    a.put(Kind.WEBHOOK, webhook.get("id").asString());
    secretsOfA.addAll(List.of("a-hook-" + run, webhook.get("secret").asString()));
    String marker = "a-tenant-secret-" + run;
    asA("sc-service", "PUT", "/api/v1/variables", "{" + vars("a_tenant_var", marker) + "}", 200);
    String siteName = "a-site-" + run;
    JsonNode site =
        asA(
            "sc-service",
            "POST",
            "/api/v1/sites",
            "{\"name\":\"" + siteName + "\"," + vars("a_site_var", "a-site-value-" + run) + "}",
            201);
    a.put(Kind.SITE, site.get("id").asString());
    String serial = "A-" + run.toUpperCase();
    String name = "a-device-" + run;
    JsonNode created =
        asA(
            "sc-service",
            "POST",
            "/api/v1/devices",
            "{\"serial\":\"%s\",\"model\":\"ow-x86\",\"name\":\"%s\",\"siteId\":\"%s\",\"tags\":[\"a-tag-%s\"],%s}"
                .formatted(serial, name, a.get(Kind.SITE), run, vars("a_dev_var", "a-dev-" + run)),
            201);
    String deviceId = created.get("id").asString();
    a.put(Kind.DEVICE, deviceId);
    a.put(Kind.VERSION, "1");
    String deliveries = "/api/v1/webhooks/" + a.get(Kind.WEBHOOK) + "/deliveries";
    await()
        .alias("a webhook delivery of A's device")
        .atMost(Duration.ofSeconds(60))
        .until(() -> asA("sc-service", "GET", deliveries, null, 200).size() > 0);
    a.put(
        Kind.WEBHOOK_DELIVERY,
        asA("sc-service", "GET", deliveries, null, 200).at("/0/messageId").asString());
    JsonNode request =
        asA(
            "sc-service",
            "POST",
            "/api/v1/devices/" + deviceId + "/config-requests",
            "{\"variables\":{\"a_req_var\":\"a-req-" + run + "\"}}",
            202);
    a.put(Kind.CONFIG_REQUEST, request.get("id").asString());
    awaitVersion(1);
    String model = "a-model-" + run;
    asA(
        "sc-service",
        "PUT",
        "/api/v1/templates/" + model,
        "{\"files\":{\"/etc/config/a\":\"config a 'a-template-" + run + "'\\n\"}}",
        200);
    a.put(Kind.TEMPLATE_MODEL, model);
    String keyName = "a-key-" + run;
    JsonNode key =
        asA(
            "sc-service",
            "POST",
            "/api/v1/api-keys",
            "{\"name\":\"" + keyName + "\",\"role\":\"VIEWER\"}",
            201);
    a.put(Kind.API_KEY, key.get("id").asString());
    JsonNode changeSet =
        asA(
            "sc-service",
            "POST",
            "/api/v1/change-sets",
            ("{\"description\":\"a-change-%s\",\"apply\":\"NOW\",\"operations\":[{\"type\":"
                    + "\"VARIABLES\",\"deviceId\":\"%s\",\"variables\":{\"a_cs_var\":\"a-cs-%s\"}}]}")
                .formatted(run, deviceId, run),
            201);
    a.put(Kind.CHANGE_SET, changeSet.get("id").asString());
    asA(
        "sc-service",
        "PUT",
        "/api/v1/sites/" + a.get(Kind.SITE) + "/maintenance-window",
        "{\"days\":[\"SUNDAY\"],\"start\":\"03:00\",\"durationMinutes\":60,"
            + "\"timeZone\":\"Europe/Vienna\"}",
        200);
    secretsOfA.addAll(List.of("a-change-" + run, "a-cs-" + run));
    secretsOfA.addAll(
        List.of(marker, siteName, serial, name, keyName, "a-tag-" + run, "a-dev-" + run));
    secretsOfA.addAll(List.of("a-site-value-" + run, "a-req-" + run, "a-template-" + run));

    device =
        new SimulatedDevice(
            HttpClient.newHttpClient(),
            "http://127.0.0.1:" + suite.port("device-api"),
            serial,
            "X-SSL-Client-Cert");
    String token = created.get("bootstrapToken").asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> device.enroll(token) == 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> device.fetchConfig() == 200);
  }

  /** A custom feature in A's catalogue, NTP/DNS on A's device, a rollout its device failed. */
  private void features() throws Exception {
    String deviceId = a.get(Kind.DEVICE);
    String feature = "a-feature-" + run;
    asA(
        "tw-service",
        "PUT",
        "/api/v1/features/" + feature,
        "{\"description\":\"a-feature-description-"
            + run
            + "\",\"parametersSchema\":{\"type\":\"object\"}}",
        201);
    a.put(Kind.FEATURE, feature);
    a.put(Kind.DEVICE_FEATURE, "ntp-dns");
    secretsOfA.addAll(List.of(feature, "a-feature-description-" + run, "ntp.a-" + run));
    String features = "/api/v1/devices/" + deviceId + "/features";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> call("tw-service", "GET", features, keyA, null).statusCode() == 200);
    asA(
        "tw-service",
        "PUT",
        features + "/ntp-dns",
        "{\"params\":{\"ntp_servers\":[\"ntp.a-" + run + ".example\"],\"timezone\":\"UTC\"}}",
        200);
    awaitVersion(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> device.fetchConfig() == 200 && device.config().version() == 2);
    assertThat(device.reportApply(true, null)).isEqualTo(202);
    JsonNode rollout =
        asA(
            "tw-service",
            "POST",
            "/api/v1/rollouts",
            "{\"featureKey\":\"firewall\",\"action\":\"ENABLE\",\"params\":{\"firewall_rules\":"
                + "[{\"name\":\"Allow-SSH\",\"proto\":\"tcp\",\"dest_port\":\"22\"}]},"
                + "\"selector\":{\"deviceIds\":[\""
                + deviceId
                + "\"]},\"waveSize\":1,\"failureThreshold\":0}",
            201);
    a.put(Kind.ROLLOUT, rollout.get("id").asString());
    awaitVersion(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> device.fetchConfig() == 200 && device.config().version() == 3);
    // a failed apply pauses the rollout and opens a CONFIG_FAILED alert: both stay as they are
    assertThat(device.reportApply(false, "a-apply-error-" + run)).isEqualTo(202);
    secretsOfA.add("a-apply-error-" + run);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                asA("tw-service", "GET", "/api/v1/rollouts/" + a.get(Kind.ROLLOUT), null, 200)
                    .get("status")
                    .asString()
                    .equals("PAUSED"));
  }

  private void diagnosticsAndPki() throws Exception {
    String deviceId = a.get(Kind.DEVICE);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                asA(
                            "diagnostic-service",
                            "GET",
                            "/api/v1/alerts?status=ALL&deviceId=" + deviceId,
                            null,
                            200)
                        .get("items")
                        .size()
                    > 0);
    a.put(
        Kind.ALERT,
        asA(
                "diagnostic-service",
                "GET",
                "/api/v1/alerts?status=ALL&deviceId=" + deviceId,
                null,
                200)
            .at("/items/0/id")
            .asString());
    JsonNode check =
        asA(
            "diagnostic-service",
            "POST",
            "/api/v1/devices/" + deviceId + "/checks",
            "{\"type\":\"REACHABILITY\",\"parameters\":{\"target\":\"a-check-" + run + "\"}}",
            202);
    a.put(Kind.CHECK, check.get("id").asString());
    secretsOfA.add("a-check-" + run);

    String entity = UUID.randomUUID().toString();
    asA(
        "pki-service",
        "POST",
        "/api/v1/end-entities",
        "{\"name\":\"%s\",\"subjectDn\":\"CN=a-entity-%s\",\"certificateProfile\":\"device\"}"
            .formatted(entity, run),
        201);
    a.put(Kind.END_ENTITY, entity);
    JsonNode issued =
        asA(
            "pki-service",
            "POST",
            "/api/v1/end-entities/" + entity + "/certificates",
            JSON.writeValueAsString(Map.of("csr", Csrs.p256("CN=a-entity-" + run))),
            201);
    a.put(Kind.CERTIFICATE, issued.get("serial").asString());
    secretsOfA.add("a-entity-" + run);
    a.forEach(
        (kind, value) -> {
          if (kind != Kind.VERSION && kind != Kind.DEVICE_FEATURE) {
            secretsOfA.add(value);
          }
        });
  }

  private void awaitVersion(int version) {
    String path = "/api/v1/devices/" + a.get(Kind.DEVICE) + "/configs/" + version;
    await()
        .alias("config version " + version + " of A's device")
        .atMost(Duration.ofSeconds(30))
        .until(() -> call("sc-service", "GET", path, keyA, null).statusCode() == 200);
  }

  private static String vars(String name, String value) {
    return "\"variables\":{\"" + name + "\":\"" + value + "\"}";
  }
}
