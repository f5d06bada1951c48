package dev.ems.sc.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.sc.ScApi;
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
import tools.jackson.databind.json.JsonMapper;

/** Issue 14: a template set's variables schema, checked before a config request is queued. */
@SpringBootTest
@AutoConfigureMockMvc
class TypedVariablesIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  ScApi api;

  @BeforeEach
  void api() {
    api = new ScApi(mvc, json);
  }

  private String device(String model) throws Exception {
    return api.createDevice(
        Map.of("serial", "T-" + UUID.randomUUID(), "model", model, "name", "cpe"));
  }

  private ScApi.Response request(String device, Map<String, Object> body) throws Exception {
    return api.post("/api/v1/devices/" + device + "/config-requests", body);
  }

  private int requests(String device) {
    return jdbc.sql("select count(*) from config_request where device_id = ?")
        .param(UUID.fromString(device))
        .query(Integer.class)
        .single();
  }

  @Test
  void aVariableOfTheWrongTypeIsRefusedNamingItAndNothingIsQueued() throws Exception {
    String device = device("openwrt-default");

    for (Map<String, Object> body :
        List.of(
            Map.<String, Object>of("variables", Map.of("timezone", List.of("a", "b"))),
            Map.<String, Object>of(
                "variables", Map.of("timezone", List.of("a", "b")), "dryRun", true))) {
      var r = request(device, body);

      assertThat(r.status()).as(r.text()).isEqualTo(422);
      assertThat(r.body().get("code").asString()).isEqualTo("validation-failed");
      assertThat(r.body().get("field").asString()).isEqualTo("variables.timezone");
    }
    assertThat(requests(device)).isZero();
  }

  @Test
  void anUnknownZoneIsRefusedNamingTheVariable() throws Exception {
    String device = device("openwrt-default");

    var byZoneName = request(device, Map.of("variables", Map.of("zonename", "Mars/Olympus")));
    var byTimezone = request(device, Map.of("variables", Map.of("timezone", "Mars/Olympus")));

    assertThat(byZoneName.status()).as(byZoneName.text()).isEqualTo(422);
    assertThat(byZoneName.body().get("field").asString()).isEqualTo("variables.zonename");
    assertThat(byTimezone.status()).as(byTimezone.text()).isEqualTo(422);
    assertThat(byTimezone.body().get("field").asString()).isEqualTo("variables.timezone");
    assertThat(requests(device)).isZero();
  }

  @Test
  void theReadmeRequestRendersZoneNameAndPosixStringAndSecretsPassAsText() throws Exception {
    String device = device("openwrt-default");

    var r =
        request(
            device,
            Map.of(
                "variables",
                Map.of("timezone", "Europe/Berlin", "syslog_server", Map.of("secret", "10.9.9.9")),
                "dryRun",
                true));

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.text())
        .contains(
            "option zonename 'Europe/Berlin'", "option timezone 'CET-1CEST,M3.5.0,M10.5.0/3'");
    assertThat(api.requestConfig(device, Map.of("timezone", "Europe/Berlin")).get("status"))
        .isNotNull();
    assertThat(requests(device)).isEqualTo(1);
  }

  @Test
  void anUploadedSchemaIsCheckedAndThenTypesTheRequests() throws Exception {
    String model = "typed-" + UUID.randomUUID().toString().substring(0, 8);
    var invalid =
        api.put(
            "/api/v1/templates/" + model,
            Map.of(
                "files", Map.of("/etc/out", "{{ port }}\n"), "variablesSchema", Map.of("type", 5)));
    assertThat(invalid.status()).as(invalid.text()).isEqualTo(422);
    assertThat(invalid.body().get("field").asString()).startsWith("variablesSchema");

    Map<String, Object> schema =
        Map.of(
            "type", "object",
            "properties", Map.of("port", Map.of("type", "integer", "maximum", 65535)),
            "required", List.of("port"));
    var put =
        api.put(
            "/api/v1/templates/" + model,
            Map.of("files", Map.of("/etc/out", "{{ port }}\n"), "variablesSchema", schema));
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    assertThat(put.body().get("variablesSchema").get("required").get(0).asString())
        .isEqualTo("port");
    String device = device(model);

    var wrong = request(device, Map.of("variables", Map.of("port", 70000)));
    var right = request(device, Map.of("variables", Map.of("port", 8080), "dryRun", true));

    assertThat(wrong.status()).as(wrong.text()).isEqualTo(422);
    assertThat(wrong.body().get("field").asString()).isEqualTo("variables.port");
    assertThat(right.status()).as(right.text()).isEqualTo(200);
    assertThat(right.text()).contains("8080");
    assertThat(requests(device)).isZero();
  }
}
