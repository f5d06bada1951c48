package dev.ems.pki.enrollment;

import static dev.ems.pki.PkiTestSupport.inventoryDevice;
import static dev.ems.pki.PkiTestSupport.inventoryEvent;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.TestCsrs;
import dev.ems.platform.security.ApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
    String token = token(device);
    String csr = TestCsrs.p256("CN=whatever");
    String first = serial(enroll(SERVICE, device, token, csr).andExpect(status().isOk()));
    String again = serial(enroll(SERVICE, device, token, csr).andExpect(status().isOk()));
    String other = serial(enroll(SERVICE, device, token(device), TestCsrs.p256("CN=x")));

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(count(device)).isEqualTo(2);
  }

  @Test
  void internalKeyAloneCannotEnrollADevice() throws Exception {
    String device = device();
    String token = token(device);
    String otherDevicesToken = token(device());
    String held = serial(enroll(SERVICE, device, token, TestCsrs.p256("CN=a")));

    for (String presented : new String[] {"emsbt_guessed", otherDevicesToken, null, ""}) {
      enroll(SERVICE, device, presented, TestCsrs.p256("CN=thief"))
          .andExpect(status().isUnauthorized())
          .andExpect(jsonPath("$.code").value("bootstrap-token-invalid"));
    }

    assertThat(count(device)).isEqualTo(1);
    assertThat(stateOf(held)).isEqualTo("VALID null");
  }

  @Test
  void bootstrapTokenIsSingleUseAtPki() throws Exception {
    String device = device();
    String token = "emsbt_" + UUID.randomUUID();
    var issued = tokenEvent(device, token, Instant.now(), Instant.now().plusSeconds(3600));
    inventoryEvent("default", device, issued);
    awaitToken(device, token);
    String csr = TestCsrs.p256("CN=a");
    String first = serial(enroll(SERVICE, device, token, csr).andExpect(status().isOk()));

    enroll(SERVICE, device, token, TestCsrs.p256("CN=b"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.code").value("bootstrap-token-used"));
    // the device that lost the answer asks again with the same CSR: the same certificate
    assertThat(serial(enroll(SERVICE, device, token, csr).andExpect(status().isOk())))
        .isEqualTo(first);
    enroll(SERVICE, device, token, csr)
        .andExpect(jsonPath("$.chainPem").value(org.hamcrest.Matchers.containsString("BEGIN")))
        .andExpect(jsonPath("$.certificatePem").exists());
    assertThat(count(device)).isEqualTo(1);
    assertThat(stateOf(first)).isEqualTo("VALID null");

    // redelivered, the token's event does not make it new again; once its certificate is revoked
    // (here by an RMA), the spent token gets nothing, not even for its own CSR
    inventoryEvent("default", device, issued);
    inventoryEvent(
        "default",
        device,
        new DeviceUpdated(
            UUID.fromString(device), "SN-RMA", "m", "n", null, List.of(), Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(stateOf(first)).isEqualTo("REVOKED superseded"));
    for (String csrAgain : new String[] {csr, TestCsrs.p256("CN=c")}) {
      enroll(SERVICE, device, token, csrAgain)
          .andExpect(status().isConflict())
          .andExpect(jsonPath("$.code").value("bootstrap-token-used"));
    }
    assertThat(count(device)).isEqualTo(1);
  }

  @Test
  void expiredTokenIsRefusedAtPki() throws Exception {
    String device = device();
    String token = token(device, Instant.now().minusSeconds(1));

    enroll(SERVICE, device, token, TestCsrs.p256("CN=a"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("bootstrap-token-expired"));
    assertThat(count(device)).isZero();
  }

  @Test
  void anOlderTokenReplayedAfterANewerOneStaysReplaced() throws Exception {
    String device = device();
    Instant expiresAt = Instant.now().plusSeconds(3600);
    String older = "emsbt_" + UUID.randomUUID();
    var olderEvent = tokenEvent(device, older, Instant.now().minusSeconds(60), expiresAt);
    inventoryEvent("default", device, olderEvent);
    awaitToken(device, older);
    String newer = token(device);

    inventoryEvent("default", device, olderEvent);
    String marker = token(device); // processed after the replay: the device's events are ordered

    enroll(SERVICE, device, older, TestCsrs.p256("CN=a"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("bootstrap-token-invalid"));
    enroll(SERVICE, device, newer, TestCsrs.p256("CN=a")).andExpect(status().isUnauthorized());
    enroll(SERVICE, device, marker, TestCsrs.p256("CN=a")).andExpect(status().isOk());
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
    enroll(SERVICE, UUID.randomUUID().toString(), "emsbt_x", TestCsrs.p256("CN=x"))
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

    enroll(SERVICE, "default", operatorMade, "emsbt_x", TestCsrs.p256("CN=x"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    String token = token("tenant-a", otherTenants, Instant.now().plusSeconds(3600));
    enroll(SERVICE, "default", otherTenants, token, TestCsrs.p256("CN=x"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    assertThat(count(operatorMade) + count(otherTenants)).isZero();
    enroll(SERVICE, "tenant-a", otherTenants, token, TestCsrs.p256("CN=x"))
        .andExpect(status().isOk());
  }

  @Test
  void reenrollmentSupersedesPreviousCertificate() throws Exception {
    String device = device();
    String first = serial(enroll(SERVICE, device, token(device), TestCsrs.p256("CN=a")));
    String again = serial(enroll(SERVICE, device, token(device), TestCsrs.p256("CN=b")));

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
    String old = serial(enroll(SERVICE, device, token(device), TestCsrs.p256("CN=a")));

    // sc-service's RMA (POST /api/v1/devices/{id}/replace): the same device on a new serial
    inventoryEvent(
        "default",
        device,
        new DeviceUpdated(
            UUID.fromString(device), "SN-NEW-1", "m", "n", null, List.of(), Instant.now()));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(stateOf(old)).isEqualTo("REVOKED superseded"));
    String replacement = serial(enroll(SERVICE, device, token(device), TestCsrs.p256("CN=b")));
    assertThat(stateOf(replacement)).isEqualTo("VALID null");
  }

  @Test
  void decommissioningRevokesTheDevicesCertificate() throws Exception {
    String device = device();
    String token = token(device);
    String serial = serial(enroll(SERVICE, device, token, TestCsrs.p256("CN=a")));

    inventoryEvent(
        "default", device, new DeviceDecommissioned(UUID.fromString(device), "SN", Instant.now()));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(stateOf(serial)).isEqualTo("REVOKED cessationOfOperation"));
    enroll(SERVICE, device, token, TestCsrs.p256("CN=b")).andExpect(status().isNotFound());
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

  /** A bootstrap token SC issued for the device, valid for an hour, once pki-service knows it. */
  private String token(String device) {
    return token("default", device, Instant.now().plusSeconds(3600));
  }

  private String token(String device, Instant expiresAt) {
    return token("default", device, expiresAt);
  }

  private String token(String tenant, String device, Instant expiresAt) {
    String token = "emsbt_" + UUID.randomUUID();
    inventoryEvent(tenant, device, tokenEvent(device, token, Instant.now(), expiresAt));
    awaitToken(device, token);
    return token;
  }

  private static BootstrapTokenIssued tokenEvent(
      String device, String token, Instant issuedAt, Instant expiresAt) {
    return new BootstrapTokenIssued(
        UUID.fromString(device), "SN", ApiKeys.hash(token), issuedAt, expiresAt);
  }

  private void awaitToken(String device, String token) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from end_entity where name = ?"
                                + " and bootstrap_token_sha256 = ?")
                        .params(device, ApiKeys.hash(token))
                        .query(Long.class)
                        .single()
                    == 1);
  }

  /** Enrollment with a new bootstrap token of the device. */
  private ResultActions enroll(String auth, String device, String csr) throws Exception {
    return enroll(auth, "default", device, token(device), csr);
  }

  private ResultActions enroll(String auth, String device, String token, String csr)
      throws Exception {
    return enroll(auth, "default", device, token, csr);
  }

  private ResultActions enroll(String auth, String tenant, String device, String token, String csr)
      throws Exception {
    Map<String, Object> body =
        new HashMap<>(Map.of("tenant", tenant, "deviceId", device, "csr", csr));
    if (token != null) {
      body.put("bootstrapToken", token);
    }
    var request =
        post("/internal/v1/enrollments")
            .contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(body));
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
