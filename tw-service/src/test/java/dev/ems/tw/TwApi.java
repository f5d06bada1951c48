package dev.ems.tw;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operator API of tw-service as the tests drive it, plus SC's inventory events. */
public final class TwApi {

  public static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;
  public static final String TENANT = "default";

  private final MockMvc mvc;
  private final JsonMapper json;

  public TwApi(MockMvc mvc, JsonMapper json) {
    this.mvc = mvc;
    this.json = json;
  }

  public record Response(int status, JsonNode body, String text, MvcResult raw) {
    public String header(String name) {
      return raw.getResponse().getHeader(name);
    }

    public String code() {
      return body.get("code").asString();
    }
  }

  public Response call(HttpMethod method, String path, Object body, Map<String, String> headers)
      throws Exception {
    var builder = request(method, path).header("Authorization", ADMIN);
    headers.forEach(builder::header);
    if (body != null) {
      builder
          .contentType(MediaType.APPLICATION_JSON)
          .content(body instanceof String s ? s : json.writeValueAsString(body));
    }
    MvcResult result = mvc.perform(builder).andReturn();
    String text = result.getResponse().getContentAsString();
    JsonNode node = null;
    if (text.startsWith("{") || text.startsWith("[")) {
      node = json.readTree(text);
    }
    return new Response(result.getResponse().getStatus(), node, text, result);
  }

  public Response get(String path) throws Exception {
    return call(HttpMethod.GET, path, null, Map.of());
  }

  public Response post(String path, Object body) throws Exception {
    return call(HttpMethod.POST, path, body, Map.of());
  }

  public Response put(String path, Object body) throws Exception {
    return call(HttpMethod.PUT, path, body, Map.of());
  }

  public Response delete(String path) throws Exception {
    return call(HttpMethod.DELETE, path, null, Map.of());
  }

  /** A feature with a small schema, unique key, and the given rules. */
  public String createFeature(String prefix, List<String> dependsOn, List<String> conflictsWith)
      throws Exception {
    String key = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Response r =
        put(
            "/api/v1/features/" + key,
            Map.of(
                "description",
                "test feature",
                "parametersSchema",
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("rate", Map.of("type", "integer", "minimum", 1)),
                    "additionalProperties",
                    false),
                "dependsOn",
                dependsOn,
                "conflictsWith",
                conflictsWith));
    if (r.status() != 201) {
      throw new AssertionError("feature not created: " + r.status() + " " + r.text());
    }
    return key;
  }

  /** Announces a device as SC does on create and waits until tw-service knows it. */
  public UUID device(String model, UUID siteId, List<String> tags) throws Exception {
    UUID id = UUID.randomUUID();
    String serial = "SN-" + id;
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc-service/devices",
            TENANT,
            id.toString(),
            new DeviceCreated(id, serial, model, "dev-" + id, Instant.now())));
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc-service/devices",
            TENANT,
            id.toString(),
            new DeviceUpdated(id, serial, model, "dev-" + id, siteId, tags, Instant.now())));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/api/v1/devices/" + id + "/features").status() == 200);
    return id;
  }
}
