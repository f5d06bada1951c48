package dev.ems.pki.endentity;

import static dev.ems.pki.PkiTestSupport.ADMIN;
import static dev.ems.pki.PkiTestSupport.inventoryDevice;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static dev.ems.pki.PkiTestSupport.operatorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.pki.PkiTestSupport;
import dev.ems.pki.TestCsrs;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Device end entities come from the inventory only, and stay in their tenant (issue 13, hole 3).
 */
@SpringBootTest
@AutoConfigureMockMvc
class DeviceEndEntityIT {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired JsonMapper json;

  @Test
  void anotherTenantsEntityOfADevicesNameIsItsOwnAndTellsNothing() throws Exception {
    String device = inventoryDevice(jdbc, "tenant-a", "SN-A-1");
    String operatorB = operatorOf(keys, "tenant-b", Role.OPERATOR);

    // B gets what any unused name gets: nothing tells B that A, or a device, exists
    mvc.perform(create(operatorB, device)).andExpect(status().isCreated());
    mvc.perform(create(operatorB, java.util.UUID.randomUUID().toString()))
        .andExpect(status().isCreated());

    // B's entity is B's: an operator entity, never A's device entity, which stays as it was
    mvc.perform(get("/api/v1/end-entities/" + device).header("Authorization", operatorB))
        .andExpect(jsonPath("$.kind").value("OPERATOR"));
    mvc.perform(
            get("/api/v1/end-entities/" + device)
                .header("Authorization", operatorOf(keys, "tenant-a", Role.ADMIN)))
        .andExpect(jsonPath("$.kind").value("DEVICE"));
    // within A the device's name stays the inventory's
    mvc.perform(create(operatorOf(keys, "tenant-a", Role.ADMIN), device))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.code").value("duplicate-end-entity"));
    assertThat(
            jdbc.sql("select count(*) from end_entity where name = ? and tenant_id = 'tenant-a'")
                .param(device)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void anEntityMadeBeforeTheInventorysDeviceBecomesTheDevicesWithNothingIssuedBefore()
      throws Exception {
    String device = java.util.UUID.randomUUID().toString();
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"%s\",\"subjectDn\":\"CN=chosen\",\"certificateProfile\":\"device\",\"dnsNames\":[\"ems.example.net\"]}"
                        .formatted(device)))
        .andExpect(status().isCreated());
    mvc.perform(
            post("/api/v1/end-entities/" + device + "/certificates")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("csr", TestCsrs.p256("CN=x")))))
        .andExpect(status().isCreated());

    // the inventory then creates a device of that id in the same tenant
    PkiTestSupport.inventoryEvent(
        "default",
        device,
        new dev.ems.common.event.DeviceCreated(
            java.util.UUID.fromString(device),
            "SN-ADOPT",
            "model",
            "name",
            java.time.Instant.now()));

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/end-entities/" + device).header("Authorization", ADMIN))
                    .andExpect(jsonPath("$.kind").value("DEVICE"))
                    .andExpect(jsonPath("$.subjectDn").value("CN=" + device + ",O=default"))
                    .andExpect(jsonPath("$.dnsNames").isEmpty()));
    assertThat(
            jdbc.sql(
                    "select count(*) from certificate where entity_name = ? and revoked_at is null")
                .param(device)
                .query(Long.class)
                .single())
        .as("the operator's certificate never counts as the device's")
        .isZero();
  }

  @Test
  void aDevicesSubjectNamesItsTenantAndNoOperatorCanNameAnotherTenant() throws Exception {
    String device = inventoryDevice(jdbc, "tenant-a", "SN-O-1");
    String adminA = operatorOf(keys, "tenant-a", Role.ADMIN);
    String adminB = operatorOf(keys, "tenant-b", Role.ADMIN);

    // the headend of tenant-a accepts "O=tenant-a, CN=*": the device's subject carries its tenant
    mvc.perform(get("/api/v1/end-entities/" + device).header("Authorization", adminA))
        .andExpect(jsonPath("$.subjectDn").value("CN=" + device + ",O=tenant-a"));
    // B cannot make itself a certificate that A's headend would take for one of A's devices
    String impostor = java.util.UUID.randomUUID().toString();
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", adminB)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"%s\",\"subjectDn\":\"CN=%s,O=tenant-a\",\"certificateProfile\":\"device\"}"
                        .formatted(impostor, impostor)))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("validation-failed"))
        .andExpect(jsonPath("$.field").value("subjectDn"));
    assertThat(entities(impostor)).isZero();
    // its own tenant in O is fine
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", adminB)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"%s\",\"subjectDn\":\"CN=%s,O=tenant-b\",\"certificateProfile\":\"device\"}"
                        .formatted(impostor, impostor)))
        .andExpect(status().isCreated());
  }

  @Test
  void operatorsCannotIssueForADeviceEndEntityOnlyEnrollmentDoes() throws Exception {
    String device = inventoryDevice(jdbc, "default", "SN-D-1");

    mvc.perform(
            post("/api/v1/end-entities/" + device + "/certificates")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("csr", TestCsrs.p256("CN=x")))))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.code").value("conflict"));
    mvc.perform(
            post("/api/v1/end-entities/" + device + "/keystores")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"password\":\"correct-horse-battery\",\"keyAlgorithm\":\"EC_P256\"}"))
        .andExpect(status().isConflict());

    assertThat(
            jdbc.sql("select count(*) from certificate where entity_name = ?")
                .param(device)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void inventoryDevicesAreDeviceEntitiesAndOperatorEntitiesAreNot() throws Exception {
    String device = inventoryDevice(jdbc, "default", "SN-K-1");
    String operatorMade = newEntity(mvc);

    mvc.perform(get("/api/v1/end-entities/" + device).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.kind").value("DEVICE"));
    mvc.perform(get("/api/v1/end-entities/" + operatorMade).header("Authorization", ADMIN))
        .andExpect(jsonPath("$.kind").value("OPERATOR"));
  }

  private static org.springframework.test.web.servlet.RequestBuilder create(
      String auth, String name) {
    return post("/api/v1/end-entities")
        .header("Authorization", auth)
        .contentType(MediaType.APPLICATION_JSON)
        .content(
            """
            {"name":"%s","subjectDn":"CN=%s","certificateProfile":"device"}"""
                .formatted(name, name));
  }

  private long entities(String name) {
    return jdbc.sql("select count(*) from end_entity where name = ?")
        .param(name)
        .query(Long.class)
        .single();
  }
}
