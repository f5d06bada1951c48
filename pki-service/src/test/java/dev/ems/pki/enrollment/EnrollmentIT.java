package dev.ems.pki.enrollment;

import static dev.ems.pki.PkiTestSupport.inventoryDevice;
import static dev.ems.pki.PkiTestSupport.inventoryEvent;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.TestCsrs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class EnrollmentIT {

  static final String SERVICE = "Bearer " + TestInfrastructure.INTERNAL_API_KEY;

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void sameDeviceAndSameCsrGetTheSameCertificateANewCsrANewOne() throws Exception {
    String device = device();
    String csr = TestCsrs.p256("CN=whatever");
    String first = serial(enroll(SERVICE, device, csr).andExpect(status().isOk()));
    String again = serial(enroll(SERVICE, device, csr).andExpect(status().isOk()));
    String other = serial(enroll(SERVICE, device, TestCsrs.p256("CN=x")));

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(count(device)).isEqualTo(2);
    enroll(SERVICE, device, csr)
        .andExpect(jsonPath("$.chainPem").value(org.hamcrest.Matchers.containsString("BEGIN")))
        .andExpect(jsonPath("$.certificatePem").exists());
  }

  @Test
  void onlyServicesWithTheInternalKeyMayEnrollAndOperatorKeysDoNot() throws Exception {
    String device = device();
    String csr = TestCsrs.p256("CN=x");
    enroll(null, device, csr)
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("unauthenticated"));
    enroll("Bearer wrong-key-wrong-key", device, csr).andExpect(status().isUnauthorized());
    enroll("Bearer " + TestInfrastructure.ADMIN_KEY, device, csr)
        .andExpect(status().isUnauthorized());
    assertThat(count(device)).isZero();
  }

  @Test
  void unknownDeviceIs404AndBadCsrIs422() throws Exception {
    enroll(SERVICE, UUID.randomUUID().toString(), TestCsrs.p256("CN=x"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    String device = device();
    enroll(SERVICE, device, TestCsrs.tampered())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("invalid-csr"))
        .andExpect(jsonPath("$.field").value("csr"));
    assertThat(count(device)).isZero();
  }

  @Test
  void internalEnrollmentRefusesPublicDefaultKey() throws Exception {
    String device = device();
    enroll("Bearer dev-internal-api-key-change-me", device, TestCsrs.p256("CN=x"))
        .andExpect(status().isUnauthorized());
    enroll("Bearer change-me-internal-api-key", device, TestCsrs.p256("CN=x"))
        .andExpect(status().isUnauthorized());
    assertThat(count(device)).isZero();
  }

  @Test
  void internalEnrollmentIsOnlyForInventoryDevicesOfThatTenant() throws Exception {
    String operatorMade = newEntity(mvc);
    String otherTenants = inventoryDevice(jdbc, "tenant-a", "SN-OT-1");

    enroll(SERVICE, "default", operatorMade, TestCsrs.p256("CN=x"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    enroll(SERVICE, "default", otherTenants, TestCsrs.p256("CN=x"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    assertThat(count(operatorMade) + count(otherTenants)).isZero();
    enroll(SERVICE, "tenant-a", otherTenants, TestCsrs.p256("CN=x")).andExpect(status().isOk());
  }

  @Test
  void reenrollmentSupersedesPreviousCertificate() throws Exception {
    String device = device();
    String first = serial(enroll(SERVICE, device, TestCsrs.p256("CN=a")));
    String again = serial(enroll(SERVICE, device, TestCsrs.p256("CN=b")));

    assertThat(again).isNotEqualTo(first);
    assertThat(stateOf(first)).isEqualTo("REVOKED superseded");
    assertThat(stateOf(again)).isEqualTo("VALID null");
    var revoked =
        TestEvents.awaitEvent(
            Topics.PKI_CERTIFICATES,
            CertificateRevoked.class,
            e -> e.payload().serialNumber().equals(first),
            Duration.ofSeconds(30));
    assertThat(revoked.payload().reason()).isEqualTo("superseded");
    assertThat(revoked.tenant()).isEqualTo("default");
  }

  @Test
  void rmaRevokesOldCertificate() throws Exception {
    String device = inventoryDevice(jdbc, "default", "SN-OLD-1");
    String old = serial(enroll(SERVICE, device, TestCsrs.p256("CN=a")));

    // sc-service's RMA (POST /api/v1/devices/{id}/replace): the same device on a new serial
    inventoryEvent(
        "default",
        device,
        new DeviceUpdated(
            UUID.fromString(device), "SN-NEW-1", "m", "n", null, List.of(), Instant.now()));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(stateOf(old)).isEqualTo("REVOKED superseded"));
    String replacement = serial(enroll(SERVICE, device, TestCsrs.p256("CN=b")));
    assertThat(stateOf(replacement)).isEqualTo("VALID null");
  }

  @Test
  void decommissioningRevokesTheDevicesCertificate() throws Exception {
    String device = device();
    String serial = serial(enroll(SERVICE, device, TestCsrs.p256("CN=a")));

    inventoryEvent(
        "default", device, new DeviceDecommissioned(UUID.fromString(device), "SN", Instant.now()));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(stateOf(serial)).isEqualTo("REVOKED cessationOfOperation"));
    enroll(SERVICE, device, TestCsrs.p256("CN=b")).andExpect(status().isNotFound());
  }

  private String device() {
    return inventoryDevice(jdbc, "default", "SN-" + UUID.randomUUID());
  }

  private String stateOf(String serial) {
    return jdbc.sql(
            "select status || ' ' || coalesce(revocation_reason, 'null') from certificate"
                + " where serial = ?")
        .param(serial)
        .query(String.class)
        .single();
  }

  private ResultActions enroll(String auth, String device, String csr) throws Exception {
    return enroll(auth, "default", device, csr);
  }

  private ResultActions enroll(String auth, String tenant, String device, String csr)
      throws Exception {
    var request =
        post("/internal/v1/enrollments")
            .contentType(MediaType.APPLICATION_JSON)
            .content(
                json.writeValueAsString(Map.of("tenant", tenant, "deviceId", device, "csr", csr)));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return mvc.perform(request);
  }

  private String serial(ResultActions result) throws Exception {
    return json.readTree(result.andReturn().getResponse().getContentAsString())
        .get("serial")
        .asString();
  }

  private long count(String device) {
    return jdbc.sql("select count(*) from certificate where entity_name = ?")
        .param(device)
        .query(Long.class)
        .single();
  }
}
