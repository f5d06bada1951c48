package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.sc.ScApi;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Templates and variables are hostile input: what an operator can make the renderer do. */
@SpringBootTest
@AutoConfigureMockMvc
class HostileTemplatesIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  ScApi api;

  @BeforeEach
  void api() {
    api = new ScApi(mvc, json);
  }

  private String device(String model) throws Exception {
    return api.createDevice(
        Map.of("serial", "H-" + UUID.randomUUID(), "model", model, "name", "cpe"));
  }

  @Test
  void aDryRunRendersHostileVariableValuesAsData() throws Exception {
    String device = device("openwrt-default");
    String hostile = "X{{ 7*7 }}Y{% include 'sc-service.yml' %}Z";

    var dryRun =
        api.post(
            "/api/v1/devices/" + device + "/config-requests",
            Map.of("variables", Map.of("domain", hostile), "dryRun", true));

    assertThat(dryRun.status()).as(dryRun.text()).isEqualTo(200);
    String dhcp = null;
    for (JsonNode file : dryRun.body().get("files")) {
      if (file.get("path").asString().equals("/etc/config/dhcp")) {
        dhcp = file.get("content").asString();
      }
    }
    // data, and one UCI value: its quotes are escaped as uci export writes them
    assertThat(dhcp).doesNotContain("X49Y");
    assertThat(
            dev.ems.sc.template.UciGrammar.parse(dhcp).getFirst().options().get("domain").values())
        .containsExactly(hostile);
  }

  @Test
  void anUploadedTemplateCannotIncludeTheServiceConfiguration() throws Exception {
    var put =
        api.put(
            "/api/v1/templates/m-" + UUID.randomUUID().toString().substring(0, 8),
            Map.of("files", Map.of("/etc/out", "{% include 'sc-service.yml' %}\n")));

    assertThat(put.status()).as(put.text()).isEqualTo(422);
    assertThat(put.text()).contains("not a file of template set");
  }

  @Test
  void renderProducingNulEndsFailedNotStuck() throws Exception {
    String model = "m-" + UUID.randomUUID().toString().substring(0, 8);
    var put =
        api.put(
            "/api/v1/templates/" + model,
            Map.of("files", Map.of("/etc/out", "a{{ '%00'|urldecode }}b\n")));
    assertThat(put.status()).as(put.text()).isEqualTo(200);

    JsonNode request = api.requestConfig(device(model), Map.of());

    assertThat(request.get("status").asString()).isEqualTo("FAILED");
    assertThat(request.get("failureReason").asString()).contains("/etc/out", "U+0000");
  }
}
