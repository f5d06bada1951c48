package dev.ems.sc;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operator API of sc-service as the tests drive it. */
public final class ScApi {

  public static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;

  private final MockMvc mvc;
  private final JsonMapper json;

  public ScApi(MockMvc mvc, JsonMapper json) {
    this.mvc = mvc;
    this.json = json;
  }

  public record Response(int status, JsonNode body, String text, MvcResult raw) {
    public String header(String name) {
      return raw.getResponse().getHeader(name);
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

  public String createDevice(Map<String, Object> device) throws Exception {
    Response r = post("/api/v1/devices", device);
    if (r.status() != 201) {
      throw new AssertionError("device not created: " + r.status() + " " + r.text());
    }
    return r.body().get("id").asString();
  }

  /** Submits a config request and waits until it is COMPLETED or FAILED; returns its status. */
  public JsonNode requestConfig(String deviceId, Map<String, Object> variables) throws Exception {
    Response accepted =
        post("/api/v1/devices/" + deviceId + "/config-requests", Map.of("variables", variables));
    if (accepted.status() != 202) {
      throw new AssertionError("not accepted: " + accepted.status() + " " + accepted.text());
    }
    return awaitFinal(accepted.header("Location"));
  }

  public JsonNode awaitFinal(String statusUrl) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              last[0] = get(statusUrl).body();
              String s = last[0].get("status").asString();
              return s.equals("COMPLETED") || s.equals("FAILED");
            });
    return last[0];
  }
}
