package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.embedded.RawHttp;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An operator's calls to the running suite's services, with the system tenant's admin key. */
final class SuiteHttp {

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final JsonMapper json = new JsonMapper();

  private SuiteHttp() {}

  /**
   * An sc-service call over a raw socket with {@code key} (bearer); asserts a 2xx and returns the
   * JSON body. {@code body} null: none; otherwise serialised as JSON.
   */
  static JsonNode call(Suite suite, String key, String method, String path, Object body)
      throws Exception {
    var response =
        RawHttp.send(
            suite.port("sc-service"),
            method,
            path,
            "Bearer " + key,
            body == null ? null : "application/json",
            body == null ? null : json.writeValueAsBytes(body));
    ApiExchanges.record(
        "sc-service",
        method,
        path,
        true,
        body == null ? null : "application/json",
        body == null ? null : json.writeValueAsString(body),
        response.statusCode(),
        response.header("Content-Type"),
        response.body());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isBetween(200, 299);
    return json.readTree(response.body());
  }

  /** A new tenant (its id {@code prefix-…}); returns its first ADMIN key. */
  static String newTenant(Suite suite, String prefix) throws Exception {
    String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return call(
            suite,
            TestInfrastructure.ADMIN_KEY,
            "POST",
            "/api/v1/tenants",
            Map.of("name", "Tenant " + tenant, "id", tenant))
        .at("/adminKey/key")
        .asString();
  }

  /** A new device of the key's tenant, once SC takes it: its {@code id} and bootstrap token. */
  static JsonNode newDevice(Suite suite, String key, String serial) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                call(
                    suite,
                    key,
                    "POST",
                    "/api/v1/devices",
                    Map.of("serial", serial, "model", "ow-x86", "name", "x")),
            node -> node.has("bootstrapToken"));
  }

  /** {@code body} null: no body; otherwise JSON. */
  static HttpResponse<String> send(
      Suite suite, String method, String service, String path, String body) throws Exception {
    var builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.port(service) + path))
            .header("Authorization", RunningSuite.ADMIN);
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    builder.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    ApiExchanges.record(
        service,
        method,
        path,
        true,
        body == null ? null : "application/json",
        body,
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.body());
    return response;
  }
}
