package dev.ems.sc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class ScFlowIT {

  static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void createsADeviceWithAOneTimeBootstrapTokenStoringOnlyItsHash() throws Exception {
    JsonNode device = createDevice("SN-" + UUID.randomUUID());

    String token = device.get("bootstrapToken").asString();
    assertThat(token).startsWith("emsbt_").hasSizeGreaterThan(40);
    String stored =
        jdbc.sql("select bootstrap_token_hash from device where id = ?")
            .param(UUID.fromString(device.get("id").asString()))
            .query(String.class)
            .single();
    assertThat(stored).hasSize(64).doesNotContain(token);
    mvc.perform(
            get("/api/v1/devices/" + device.get("id").asString()).header("Authorization", ADMIN))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.bootstrapToken").doesNotExist())
        .andExpect(header().exists("ETag"));
  }

  @Test
  void duplicateSerialAndInvalidBodiesAreProblemsAndStoreNothing() throws Exception {
    String serial = "SN-" + UUID.randomUUID();
    createDevice(serial);

    mvc.perform(
            post("/api/v1/devices")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(deviceJson(serial)))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.code").value("duplicate-serial"))
        .andExpect(jsonPath("$.field").value("serial"));
    mvc.perform(
            post("/api/v1/devices")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"serial\":\"has space\",\"model\":\"m\",\"name\":\"n\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.field").value("serial"));
    assertThat(
            jdbc.sql("select count(*) from device where serial = ?")
                .param(serial)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void configRequestIsQueuedRenderedStoredAsVersionOneAndPublished() throws Exception {
    String deviceId = createDevice("SN-" + UUID.randomUUID()).get("id").asString();

    MvcResult accepted =
        mvc.perform(
                post("/api/v1/devices/" + deviceId + "/config-requests")
                    .header("Authorization", ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"variables\":{\"timezone\":\"Europe/Berlin\"}}"))
            .andExpect(status().isAccepted())
            .andExpect(header().exists("Location"))
            .andExpect(jsonPath("$.status").value("QUEUED"))
            .andReturn();
    String statusUrl = accepted.getResponse().getHeader("Location");

    JsonNode done = awaitFinal(statusUrl);
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.get("configVersion").asInt()).isEqualTo(1);

    var published = awaitPublished(UUID.fromString(deviceId));
    assertThat(published.version()).isEqualTo(1);
    assertThat(published.cause()).isEqualTo("request:" + published.requestId());
    assertThat(published.files())
        .extracting(dev.ems.common.event.ConfigFile::path)
        .containsExactly(
            "/etc/config/dhcp",
            "/etc/config/firewall",
            "/etc/config/network",
            "/etc/config/system",
            "/etc/swanctl/conf.d/ems-mgmt.conf");
    assertThat(published.files().get(3).content())
        .contains(
            "option zonename 'Europe/Berlin'", "option timezone 'CET-1CEST,M3.5.0,M10.5.0/3'");
    // the management tunnel accepts only the device's own tenant's headend (issue 19)
    assertThat(published.files().get(4).content()).contains("id = \"O=default, CN=ems-mgmt\"");
    String storedSha =
        jdbc.sql("select sha256 from config_version where device_id = ? and version = 1")
            .param(UUID.fromString(deviceId))
            .query(String.class)
            .single();
    assertThat(published.sha256()).isEqualTo(storedSha).hasSize(64);
  }

  @Test
  void identicalOutputMakesNoNewVersion() throws Exception {
    String deviceId = createDevice("SN-" + UUID.randomUUID()).get("id").asString();
    String body = "{\"variables\":{\"timezone\":\"UTC\"}}";

    JsonNode first = awaitFinal(submit(deviceId, body, null));
    JsonNode second = awaitFinal(submit(deviceId, body, null));

    assertThat(first.get("configVersion").asInt()).isEqualTo(1);
    assertThat(second.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(second.get("configVersion").asInt()).isEqualTo(1);
    assertThat(versionCount(deviceId)).isEqualTo(1);
  }

  @Test
  void concurrentRetriesWithOneIdempotencyKeyMakeOneRequest() throws Exception {
    String deviceId = createDevice("SN-" + UUID.randomUUID()).get("id").asString();
    String key = "retry-" + UUID.randomUUID();
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(() -> submit(deviceId, "{\"variables\":{}}", key));
    }
    List<String> urls = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (var f : pool.invokeAll(calls)) {
        urls.add(f.get());
      }
    }

    assertThat(urls).hasSize(8).containsOnly(urls.getFirst());
    assertThat(
            jdbc.sql("select count(*) from config_request where idempotency_key = ?")
                .param(key)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void badInputIsRejectedAndQueuesNothing() throws Exception {
    String deviceId = createDevice("SN-" + UUID.randomUUID()).get("id").asString();

    mvc.perform(
            post("/api/v1/devices/" + UUID.randomUUID() + "/config-requests")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"variables\":{}}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("device-not-found"));
    mvc.perform(
            post("/api/v1/devices/" + deviceId + "/config-requests")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"variables\":{\"1bad name\":1}}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.field").value("variables.1bad name"));
    mvc.perform(
            post("/api/v1/devices/" + deviceId + "/config-requests")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.field").value("variables"));
    assertThat(
            jdbc.sql("select count(*) from config_request where device_id = ?")
                .param(UUID.fromString(deviceId))
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void anotherTenantCannotSeeOrUseTheDevice() throws Exception {
    String deviceId = createDevice("SN-" + UUID.randomUUID()).get("id").asString();
    MvcResult issued =
        mvc.perform(
                post("/api/v1/api-keys")
                    .header("Authorization", ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"name\":\"ops\",\"role\":\"OPERATOR\"}"))
            .andExpect(status().isCreated())
            .andReturn();
    String sameTenantKey =
        json.readTree(issued.getResponse().getContentAsString()).get("key").asString();
    String otherTenantKey = "other-tenant-key-0123456789";
    jdbc.sql(
            "insert into api_key (id, tenant_id, name, key_hash, role) values (?, 'globex', 'x', ?,"
                + " 'ADMIN')")
        .params(UUID.randomUUID(), dev.ems.platform.security.ApiKeys.hash(otherTenantKey))
        .update();

    mvc.perform(
            get("/api/v1/devices/" + deviceId).header("Authorization", "Bearer " + sameTenantKey))
        .andExpect(status().isOk());
    mvc.perform(
            get("/api/v1/devices/" + deviceId).header("Authorization", "Bearer " + otherTenantKey))
        .andExpect(status().isNotFound());
    mvc.perform(
            post("/api/v1/devices/" + deviceId + "/config-requests")
                .header("Authorization", "Bearer " + otherTenantKey)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"variables\":{}}"))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/v1/devices").header("Authorization", "Bearer " + otherTenantKey))
        .andExpect(jsonPath("$.total").value(0));
  }

  private String submit(String deviceId, String body, String idempotencyKey) throws Exception {
    var request =
        post("/api/v1/devices/" + deviceId + "/config-requests")
            .header("Authorization", ADMIN)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body);
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return mvc.perform(request)
        .andExpect(status().isAccepted())
        .andReturn()
        .getResponse()
        .getHeader("Location");
  }

  private JsonNode awaitFinal(String statusUrl) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String body =
                  mvc.perform(get(statusUrl).header("Authorization", ADMIN))
                      .andReturn()
                      .getResponse()
                      .getContentAsString();
              last[0] = json.readTree(body);
              String s = last[0].get("status").asString();
              return s.equals("COMPLETED") || s.equals("FAILED");
            });
    return last[0];
  }

  private int versionCount(String deviceId) {
    return jdbc.sql("select count(*) from config_version where device_id = ?")
        .param(UUID.fromString(deviceId))
        .query(Integer.class)
        .single();
  }

  private JsonNode createDevice(String serial) throws Exception {
    String body =
        mvc.perform(
                post("/api/v1/devices")
                    .header("Authorization", ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(deviceJson(serial)))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body);
  }

  private static String deviceJson(String serial) {
    return "{\"serial\":\"" + serial + "\",\"model\":\"ow-x86\",\"name\":\"branch-1\"}";
  }

  static ConfigPublished awaitPublished(UUID deviceId) {
    return TestEvents.awaitEvent(
            Topics.SC_CONFIGS,
            ConfigPublished.class,
            e -> e.subject().equals(deviceId.toString()),
            Duration.ofSeconds(30))
        .payload();
  }
}
