package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.ems.embedded.TestInfrastructure;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** A request accepted before its tenant was suspended publishes nothing: it ends FAILED. */
@SpringBootTest
@AutoConfigureMockMvc
class SuspendedTenantGenerationIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired ConfigGenerationService generation;

  @Test
  void aRequestOfASuspendedTenantEndsFailedAndMakesNoVersion() throws Exception {
    String tenant = "susp-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        json.readTree(
                call(
                    TestInfrastructure.ADMIN_KEY,
                    "/api/v1/tenants",
                    "{\"name\":\"S\",\"id\":\"" + tenant + "\"}"))
            .at("/adminKey/key")
            .asString();
    UUID device =
        UUID.fromString(
            json.readTree(
                    call(
                        key,
                        "/api/v1/devices",
                        "{\"serial\":\"S-1\",\"model\":\"ow-x86\",\"name\":\"n\"}"))
                .get("id")
                .asString());
    call(TestInfrastructure.ADMIN_KEY, "/api/v1/tenants/" + tenant + "/suspend", null);

    UUID request = UUID.randomUUID();
    jdbc.sql(
            "insert into config_request (id, tenant_id, device_id, status, variables, requested_by,"
                + " created_at, updated_at) values (?, ?, ?, 'QUEUED', '{}'::jsonb, 'test', now(),"
                + " now())")
        .params(request, tenant, device)
        .update();
    generation.process(request);

    var row =
        jdbc.sql("select status, failure_reason from config_request where id = ?")
            .param(request)
            .query((rs, n) -> rs.getString(1) + ": " + rs.getString(2))
            .single();
    assertThat(row).isEqualTo("FAILED: the tenant is suspended");
    assertThat(
            jdbc.sql("select count(*) from config_version where device_id = ?")
                .param(device)
                .query(Long.class)
                .single())
        .isZero();
  }

  private String call(String key, String path, String body) throws Exception {
    var request = post(path).header("Authorization", "Bearer " + key);
    if (body != null) {
      request.contentType(MediaType.APPLICATION_JSON).content(body);
    }
    var response = mvc.perform(request).andReturn().getResponse();
    assertThat(response.getStatus()).as(response.getContentAsString()).isBetween(200, 299);
    return response.getContentAsString();
  }
}
