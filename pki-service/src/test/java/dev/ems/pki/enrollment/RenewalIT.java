package dev.ems.pki.enrollment;

import static dev.ems.pki.PkiTestSupport.inventoryDevice;
import static dev.ems.pki.PkiTestSupport.inventoryEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.PkiTestSupport;
import dev.ems.pki.TestCsrs;
import dev.ems.platform.security.ApiKeys;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Renewal with the current certificate (issue 18): {@code POST /internal/v1/renewals}. */
@SpringBootTest
@AutoConfigureMockMvc
class RenewalIT {

  static final String SERVICE = "Bearer " + TestInfrastructure.INTERNAL_API_KEY;

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  /**
   * Issue 18: the old certificate counts until the new one is used. Renewal leaves it valid (a
   * device whose new certificate does not work keeps serving); device-api's report that the new one
   * authenticated a request supersedes it, and only the certificates issued before the used one.
   */
  @Test
  void theCurrentCertificateRenewsForANewKeyAndTheOldOneIsSupersededOnceTheNewOneIsUsed()
      throws Exception {
    String device = device();
    JsonNode first = enrolled(device);
    String csr = TestCsrs.p256("CN=ignored");

    JsonNode renewed = body(renew(SERVICE, device, first.get("certificatePem").asString(), csr));
    JsonNode again = body(renew(SERVICE, device, first.get("certificatePem").asString(), csr));

    assertThat(renewed.get("serial").asString()).isNotEqualTo(first.get("serial").asString());
    assertThat(again.get("serial").asString()).isEqualTo(renewed.get("serial").asString());
    assertThat(renewed.get("chainPem").asString()).contains("BEGIN CERTIFICATE");
    assertThat(stateOf(first.get("serial").asString())).isEqualTo("VALID null");
    assertThat(stateOf(renewed.get("serial").asString())).isEqualTo("VALID null");

    // the old certificate used again (the new one is not in use yet) changes nothing
    assertThat(body(inUse(device, first.get("serial").asString())).get("superseded")).isEmpty();
    // the new one used: the old one is superseded, once
    assertThat(body(inUse(device, renewed.get("serial").asString())).get("superseded").toString())
        .contains(first.get("serial").asString());
    assertThat(body(inUse(device, renewed.get("serial").asString())).get("superseded")).isEmpty();
    assertThat(stateOf(first.get("serial").asString())).isEqualTo("REVOKED superseded");
    assertThat(stateOf(renewed.get("serial").asString())).isEqualTo("VALID null");
    // the superseded certificate renews no more (a new CSR) and is not in use
    renew(SERVICE, device, first.get("certificatePem").asString(), TestCsrs.p256("CN=x"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("certificate-revoked"));
    inUse(device, first.get("serial").asString())
        .andExpect(jsonPath("$.code").value("certificate-revoked"));
    // another device's certificate, another tenant's, or none: not found
    inUse(device(), renewed.get("serial").asString()).andExpect(status().isNotFound());
    post(
            "/internal/v1/certificates-in-use",
            SERVICE,
            Map.of(
                "tenant", "other", "deviceId", device, "serial", renewed.get("serial").asString()))
        .andExpect(status().isNotFound());
    post(
            "/internal/v1/certificates-in-use",
            "Bearer not-the-internal-key-0123",
            Map.of("tenant", "default", "deviceId", device, "serial", "01"))
        .andExpect(status().isUnauthorized());
    assertThat(count(device)).isEqualTo(2);
  }

  @Test
  void aKeyCertifiedBeforeIsRefused() throws Exception {
    String device = device();
    KeyPair keys = TestCsrs.ec("secp256r1");
    String token = token(device);
    JsonNode first = body(enroll(device, token, TestCsrs.pem(TestCsrs.request(keys, "CN=a"))));

    renew(
            SERVICE,
            device,
            first.get("certificatePem").asString(),
            TestCsrs.pem(TestCsrs.request(keys, "CN=other subject")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("key-reused"))
        .andExpect(jsonPath("$.field").value("csr"));
    assertThat(count(device)).isEqualTo(1);
  }

  @Test
  void anotherDevicesCertificateOrGarbageOrAnExpiredOneRenewsNothing() throws Exception {
    String device = device();
    String other = device();
    JsonNode mine = enrolled(device);
    JsonNode theirs = enrolled(other);

    renew(SERVICE, device, theirs.get("certificatePem").asString(), TestCsrs.p256("CN=x"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("certificate-unknown"));
    renew(SERVICE, device, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", csr())
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("certificate-unknown"));
    renew(SERVICE, device, mine.get("certificatePem").asString(), TestCsrs.tampered())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("invalid-csr"));
    renew(null, device, mine.get("certificatePem").asString(), csr())
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("unauthenticated"));

    jdbc.sql("update certificate set not_after = now() - interval '1 minute' where serial = ?")
        .param(mine.get("serial").asString())
        .update();
    renew(SERVICE, device, mine.get("certificatePem").asString(), csr())
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("certificate-expired"));
    assertThat(count(device)).isEqualTo(1);
    assertThat(count(other)).isEqualTo(1);
  }

  @Autowired dev.ems.pki.ca.IssuingCas cas;

  /**
   * Issue 19: a device whose certificate the shared issuing CA issued (before tenants had CAs of
   * their own) renews with it and gets a certificate of its tenant's CA, with that chain.
   */
  @Test
  void aCertificateOfTheSharedCaRenewsIntoTheTenantsCa() throws Exception {
    String device = device();
    enrolled(device);
    var legacy =
        dev.ems.pki.SharedCaCertificates.issue(
            cas, jdbc, "default", device, TestCsrs.ec("secp256r1"));
    JsonNode renewed =
        body(
            renew(
                SERVICE,
                device,
                dev.ems.pki.system.Pem.certificate(legacy.getEncoded()),
                TestCsrs.p256("CN=x")));
    var certificate =
        PkiTestSupport.certificates(renewed.get("certificatePem").asString()).getFirst();
    var chain = PkiTestSupport.certificates(renewed.get("chainPem").asString());
    var tenantCa = cas.forTenant("default");
    assertThat(certificate.getIssuerX500Principal())
        .isEqualTo(tenantCa.certificate().getSubjectX500Principal());
    assertThat(legacy.getIssuerX500Principal())
        .isEqualTo(cas.shared().certificate().getSubjectX500Principal());
    certificate.verify(tenantCa.certificate().getPublicKey());
    assertThat(chain).containsExactly(tenantCa.certificate(), cas.root());
  }

  @Test
  void theCaChainIsServedToServicesOnly() throws Exception {
    var chain =
        mvc.perform(get("/internal/v1/ca-chain").header("Authorization", SERVICE))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(PkiTestSupport.certificates(chain)).hasSize(2);
    mvc.perform(get("/internal/v1/ca-chain")).andExpect(status().isUnauthorized());
    // a device's own tenant's chain (issue 19), for EST cacerts asked with its certificate
    var tenants =
        mvc.perform(
                get("/internal/v1/ca-chain")
                    .param("tenant", "default")
                    .header("Authorization", SERVICE))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(PkiTestSupport.certificates(tenants))
        .containsExactly(cas.forTenant("default").certificate(), cas.root());
    // by the CA's id (SCEP GetCACert's message, issue 19): that CA's chain; an unknown id 404
    var byId =
        mvc.perform(
                get("/internal/v1/ca-chain")
                    .param("caId", cas.forTenant("default").id())
                    .header("Authorization", SERVICE))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(PkiTestSupport.certificates(byId))
        .containsExactly(cas.forTenant("default").certificate(), cas.root());
    mvc.perform(
            get("/internal/v1/ca-chain")
                .param("caId", "tenant-" + UUID.randomUUID())
                .header("Authorization", SERVICE))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("ca-not-found"));
    mvc.perform(
            get("/internal/v1/ca-chain")
                .param("caId", "x".repeat(121))
                .header("Authorization", SERVICE))
        .andExpect(status().isUnprocessableEntity());
  }

  private static String csr() {
    return TestCsrs.p256("CN=x");
  }

  private String device() {
    return inventoryDevice(jdbc, "default", "SN-" + UUID.randomUUID());
  }

  private JsonNode enrolled(String device) throws Exception {
    return body(enroll(device, token(device), csr()));
  }

  private String token(String device) {
    String token = "emsbt_" + UUID.randomUUID();
    inventoryEvent(
        "default",
        device,
        new BootstrapTokenIssued(
            UUID.fromString(device),
            "SN",
            ApiKeys.hash(token),
            Instant.now(),
            Instant.now().plusSeconds(3600)));
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
    return token;
  }

  private ResultActions enroll(String device, String token, String csr) throws Exception {
    return post(
        "/internal/v1/enrollments",
        SERVICE,
        Map.of("tenant", "default", "deviceId", device, "bootstrapToken", token, "csr", csr));
  }

  private ResultActions renew(String auth, String device, String certificate, String csr)
      throws Exception {
    return post(
        "/internal/v1/renewals",
        auth,
        Map.of("tenant", "default", "deviceId", device, "certificate", certificate, "csr", csr));
  }

  private ResultActions inUse(String device, String serial) throws Exception {
    return post(
        "/internal/v1/certificates-in-use",
        SERVICE,
        Map.of("tenant", "default", "deviceId", device, "serial", serial));
  }

  private ResultActions post(String path, String auth, Map<String, Object> body) throws Exception {
    var request =
        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
            .contentType(MediaType.APPLICATION_JSON)
            .content(json.writeValueAsString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return mvc.perform(request);
  }

  private JsonNode body(ResultActions result) throws Exception {
    return json.readTree(
        result.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
  }

  private String stateOf(String serial) {
    return jdbc.sql(
            "select status || ' ' || coalesce(revocation_reason, 'null') from certificate"
                + " where serial = ?")
        .param(serial)
        .query(String.class)
        .single();
  }

  private long count(String device) {
    return jdbc.sql("select count(*) from certificate where entity_name = ?")
        .param(device)
        .query(Long.class)
        .single();
  }
}
