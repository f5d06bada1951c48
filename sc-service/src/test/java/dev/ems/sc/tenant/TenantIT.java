package dev.ems.sc.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import dev.ems.common.event.TenantChanged;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tenants as objects: created by the system tenant's admin, suspended and resumed. */
@SpringBootTest
@AutoConfigureMockMvc
class TenantIT {

  static final String SYSTEM = TestInfrastructure.ADMIN_KEY;

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;

  record Reply(int status, JsonNode body) {}

  @Test
  void theSystemAdminCreatesATenantWhoseFirstAdminKeyIsShownOnceAndWorks() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    var created = call(SYSTEM, HttpMethod.POST, "/api/v1/tenants", body(id));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().at("/tenant/id").asString()).isEqualTo(id);
    assertThat(created.body().at("/tenant/status").asString()).isEqualTo("ACTIVE");
    String key = created.body().at("/adminKey/key").asString();
    assertThat(created.body().at("/adminKey/role").asString()).isEqualTo("ADMIN");

    var devices = call(key, HttpMethod.GET, "/api/v1/devices", null);
    assertThat(devices.status()).isEqualTo(200);
    assertThat(devices.body().get("total").asLong()).isZero();

    var listed = call(SYSTEM, HttpMethod.GET, "/api/v1/tenants", null);
    assertThat(listed.body().findValuesAsString("id")).contains(id);
    assertThat(listed.body().toString()).doesNotContain(key);
    assertThat(call(SYSTEM, HttpMethod.POST, "/api/v1/tenants", body(id)).status()).isEqualTo(409);

    var event =
        TestEvents.awaitEvent(
            Topics.SC_TENANTS,
            TenantChanged.class,
            e -> e.payload().tenantId().equals(id),
            Duration.ofSeconds(30));
    assertThat(event.payload().status()).isEqualTo("ACTIVE");
    assertThat(event.tenant()).isEqualTo(id);
  }

  @Test
  void onlyTheSystemTenantAdministersTenants() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    String tenantAdmin =
        call(SYSTEM, HttpMethod.POST, "/api/v1/tenants", body(id))
            .body()
            .at("/adminKey/key")
            .asString();

    assertThat(call(tenantAdmin, HttpMethod.POST, "/api/v1/tenants", body("other-" + id)).status())
        .isEqualTo(403);
    assertThat(call(tenantAdmin, HttpMethod.GET, "/api/v1/tenants", null).status()).isEqualTo(403);
    assertThat(
            call(tenantAdmin, HttpMethod.POST, "/api/v1/tenants/" + id + "/suspend", null).status())
        .isEqualTo(403);
    assertThat(
            call(
                    SYSTEM,
                    HttpMethod.POST,
                    "/api/v1/tenants",
                    body(TestInfrastructure.BOOTSTRAP_TENANT))
                .status())
        .as("the system tenant's id is reserved")
        .isEqualTo(422);
    assertThat(
            call(
                    SYSTEM,
                    HttpMethod.POST,
                    "/api/v1/tenants/" + TestInfrastructure.BOOTSTRAP_TENANT + "/suspend",
                    null)
                .status())
        .isEqualTo(409);
  }

  @Test
  void aSuspendedTenantsKeysAreRefusedUntilItIsResumed() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        call(SYSTEM, HttpMethod.POST, "/api/v1/tenants", body(id))
            .body()
            .at("/adminKey/key")
            .asString();
    assertThat(call(key, HttpMethod.GET, "/api/v1/devices", null).status()).isEqualTo(200);

    var suspended = call(SYSTEM, HttpMethod.POST, "/api/v1/tenants/" + id + "/suspend", null);
    assertThat(suspended.body().get("status").asString()).isEqualTo("SUSPENDED");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(call(key, HttpMethod.GET, "/api/v1/devices", null).status())
                    .isEqualTo(401));

    call(SYSTEM, HttpMethod.POST, "/api/v1/tenants/" + id + "/resume", null);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(call(key, HttpMethod.GET, "/api/v1/devices", null).status())
                    .isEqualTo(200));
  }

  private static String body(String id) {
    return "{\"name\":\"Tenant " + id + "\",\"id\":\"" + id + "\"}";
  }

  private Reply call(String key, HttpMethod method, String path, String body) throws Exception {
    var builder = request(method, path).header("Authorization", "Bearer " + key);
    if (body != null) {
      builder.contentType(MediaType.APPLICATION_JSON).content(body);
    }
    var response = mvc.perform(builder).andReturn().getResponse();
    String text = response.getContentAsString();
    return new Reply(response.getStatus(), text.isEmpty() ? null : json.readTree(text));
  }
}
