package dev.ems.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ApiKeyIssued;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
class PlatformWebIT {

  static final String ADMIN = "Bearer test-admin-key-0123456789";

  @Autowired MockMvc mvc;
  @Autowired ApiKeys keys;
  @Autowired JdbcClient jdbc;

  @Test
  void requestWithoutApiKeyIsRejectedWithAProblem() throws Exception {
    mvc.perform(get("/api/v1/widgets"))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"ems\""))
        .andExpect(jsonPath("$.code").value("unauthenticated"))
        .andExpect(jsonPath("$.status").value(401));
  }

  @Test
  void unknownApiKeyIsRejected() throws Exception {
    mvc.perform(get("/api/v1/widgets").header("Authorization", "Bearer nope-nope-nope-nope"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("unauthenticated"));
  }

  @Test
  void viewerMayReadButNotWrite() throws Exception {
    String viewer = key("default", Role.VIEWER);

    mvc.perform(get("/api/v1/widgets").header("Authorization", "Bearer " + viewer))
        .andExpect(status().isOk());
    mvc.perform(
            post("/api/v1/widgets")
                .header("Authorization", "Bearer " + viewer)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"by-viewer\"}"))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.code").value("forbidden"));
    assertThat(countWidgets("by-viewer")).isZero();
  }

  @Test
  void malformedJsonIsA400AndStoresNothing() throws Exception {
    mvc.perform(
            post("/api/v1/widgets")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"malformed\""))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.code").value("malformed-request"));
    assertThat(countWidgets("malformed")).isZero();
  }

  @Test
  void invalidFieldIsA422NamingTheField() throws Exception {
    mvc.perform(
            post("/api/v1/widgets")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("validation-failed"))
        .andExpect(jsonPath("$.field").value("name"))
        .andExpect(jsonPath("$.errors[0].field").value("name"));
    mvc.perform(
            post("/api/v1/widgets")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"wrong-type\",\"size\":\"big\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.code").value("malformed-request"))
        .andExpect(jsonPath("$.field").value("size"));
    assertThat(countWidgets("wrong-type")).isZero();
  }

  @Test
  void unknownPathIsAProblemToo() throws Exception {
    mvc.perform(get("/api/v1/nothing-here").header("Authorization", ADMIN))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("not-found"));
  }

  @Test
  void oneTenantNeverSeesAnothersData() throws Exception {
    String other = key("globex", Role.ADMIN);
    mvc.perform(
            post("/api/v1/widgets")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"acme-only\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.tenant").value("default"));

    mvc.perform(get("/api/v1/widgets").header("Authorization", "Bearer " + other))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(0));
    mvc.perform(get("/api/v1/widgets").header("Authorization", ADMIN))
        .andExpect(jsonPath("$[?(@.name == 'acme-only')]").exists());
  }

  @Test
  void apiKeysIssuedElsewhereArriveByEventAndRevocationStopsThem() throws Exception {
    String key = ApiKeys.generate();
    UUID id = UUID.randomUUID();
    publish(new ApiKeyIssued(id, "ci", ApiKeys.hash(key), "OPERATOR", Instant.now(), null));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/widgets").header("Authorization", "Bearer " + key))
                    .andExpect(status().isOk()));

    publish(
        new ApiKeyIssued(id, "ci", ApiKeys.hash(key), "OPERATOR", Instant.now(), Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/widgets").header("Authorization", "Bearer " + key))
                    .andExpect(status().isUnauthorized()));
  }

  private void publish(ApiKeyIssued issued) {
    TestEvents.publish(
        Topics.SC_API_KEYS,
        EventEnvelope.of("/test", "default", issued.keyId().toString(), issued));
  }

  private String key(String tenant, Role role) {
    String key = ApiKeys.generate();
    keys.upsert(UUID.randomUUID(), tenant, "test", ApiKeys.hash(key), role, Instant.now(), null);
    return key;
  }

  private int countWidgets(String name) {
    return jdbc.sql("select count(*) from widget where name = ?")
        .param(name)
        .query(Integer.class)
        .single();
  }
}
