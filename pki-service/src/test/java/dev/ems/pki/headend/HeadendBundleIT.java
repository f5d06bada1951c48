package dev.ems.pki.headend;

import static dev.ems.pki.PkiTestSupport.operatorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's headend certificate names the tenant, so that the tenant's devices (swanctl {@code
 * remote id = "O=<tenant>, CN=ems-mgmt"}) accept no other tenant's headend; and no operator can
 * make itself a certificate with another tenant in {@code O} (issue 19).
 */
@SpringBootTest
@AutoConfigureMockMvc
class HeadendBundleIT {

  private static final String REQUEST =
      "{\"pool\":\"10.255.64.0/18\",\"innerAddress\":\"10.255.0.1\"}";

  @Autowired MockMvc mvc;
  @Autowired ApiKeys keys;
  @Autowired JsonMapper json;

  @Test
  void eachTenantsHeadendCertificateNamesItsTenantAndTheConfigurationItsIdentity()
      throws Exception {
    String a = "hd-a-" + UUID.randomUUID().toString().substring(0, 8);
    String b = "hd-b-" + UUID.randomUUID().toString().substring(0, 8);

    JsonNode bundleA = bundle(operatorOf(keys, a, Role.ADMIN));
    JsonNode again = bundle(operatorOf(keys, a, Role.ADMIN));
    JsonNode bundleB = bundle(operatorOf(keys, b, Role.ADMIN));

    assertThat(subject(bundleA, a)).isEqualTo("CN=ems-mgmt,O=" + a);
    assertThat(subject(again, a)).isEqualTo("CN=ems-mgmt,O=" + a);
    assertThat(subject(bundleB, b)).isEqualTo("CN=ems-mgmt,O=" + b);
    // the certificate's subject as strongSwan writes it (DER order: O first)
    assertThat(file(bundleA, "conf.d/ems-mgmt-" + a + ".conf"))
        .contains("\t\t\tid = \"O=" + a + ", CN=ems-mgmt\"\n")
        .contains("\t\t\tid = \"O=" + a + ", CN=*\"\n");
  }

  /**
   * Issue 19: the headend's trust anchor is its tenant's own issuing CA. The bundle carries that CA
   * (the connection's {@code cacerts}) and EMS's root (strongSwan's self-signed anchor); a
   * certificate of another tenant's CA does not chain to it. The CRL the bundle names is that CA's.
   */
  @Test
  void eachTenantsBundleTrustsItsTenantsOwnCaAndNamesThatCasCrl() throws Exception {
    String a = "hd-ca-a-" + UUID.randomUUID().toString().substring(0, 8);
    String b = "hd-ca-b-" + UUID.randomUUID().toString().substring(0, 8);
    JsonNode bundleA = bundle(operatorOf(keys, a, Role.ADMIN));
    JsonNode bundleB = bundle(operatorOf(keys, b, Role.ADMIN));
    X509Certificate caA = parse(file(bundleA, "x509ca/ems-tenant-ca.crt"));
    X509Certificate caB = parse(file(bundleB, "x509ca/ems-tenant-ca.crt"));
    X509Certificate root = parse(file(bundleA, "x509ca/ems-root-ca.crt"));
    X509Certificate headendA = parse(file(bundleA, "x509/ems-mgmt-" + a + ".crt"));
    X509Certificate headendB = parse(file(bundleB, "x509/ems-mgmt-" + b + ".crt"));

    assertThat(caA).isNotEqualTo(caB);
    assertThat(caA.getSubjectX500Principal().getName()).contains("OU=" + a);
    caA.verify(root.getPublicKey());
    caB.verify(root.getPublicKey());
    headendA.verify(caA.getPublicKey());
    assertThat(validates(headendA, caA)).isTrue();
    // another tenant's certificate: valid, of the same root, but not of this tenant's CA
    assertThat(validates(headendB, caA)).isFalse();
    assertThat(file(bundleA, "conf.d/ems-mgmt-" + a + ".conf"))
        .contains("\t\t\tcacerts = ems-tenant-ca.crt\n");

    java.util.regex.Matcher crlUri =
        java.util.regex.Pattern.compile("crl_uris = \\S+?(/pki/v1/crl/\\S+)")
            .matcher(file(bundleA, "conf.d/ems-mgmt-" + a + ".conf"));
    assertThat(crlUri.find()).isTrue();
    byte[] crl =
        mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                    crlUri.group(1)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    var parsed =
        (java.security.cert.X509CRL)
            CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl));
    parsed.verify(caA.getPublicKey());
    assertThat(parsed.getIssuerX500Principal()).isEqualTo(caA.getSubjectX500Principal());
  }

  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  @Autowired dev.ems.pki.ca.IssuingCas cas;

  /**
   * Upgrading (issue 19): while a device of the tenant still holds a live certificate of the shared
   * issuing CA, the tenant's bundle accepts that CA too (the device keeps its tunnel until it
   * renews); once none is left, a new bundle trusts the tenant's CA alone.
   */
  @Test
  void aBundleAcceptsTheSharedCaOnlyWhileTheTenantsDevicesHoldItsCertificates() throws Exception {
    String tenant = "hd-up-" + UUID.randomUUID().toString().substring(0, 8);
    String admin = operatorOf(keys, tenant, Role.ADMIN);
    String conf = "conf.d/ems-mgmt-" + tenant + ".conf";
    assertThat(file(bundle(admin), conf)).contains("cacerts = ems-tenant-ca.crt\n");

    String device = dev.ems.pki.PkiTestSupport.inventoryDevice(jdbc, tenant, "SN-" + tenant);
    X509Certificate legacy =
        dev.ems.pki.SharedCaCertificates.issue(
            cas, jdbc, tenant, device, dev.ems.pki.TestCsrs.ec("secp256r1"));
    JsonNode during = bundle(admin);
    assertThat(file(during, conf))
        .contains("cacerts = ems-tenant-ca.crt, ems-shared-ca.crt\n")
        .contains("crl_uris = http://localhost:8084/pki/v1/crl\n");
    assertThat(parse(file(during, "x509ca/ems-shared-ca.crt")))
        .isEqualTo(cas.shared().certificate());

    jdbc.sql(
            "update certificate set status = 'REVOKED', revocation_reason = 'superseded',"
                + " revoked_at = now() where serial = ?")
        .param(legacy.getSerialNumber().toString(16))
        .update();
    JsonNode after = bundle(admin);
    assertThat(file(after, conf)).contains("cacerts = ems-tenant-ca.crt\n");
    assertThat(after.get("files").toString()).doesNotContain("ems-shared-ca.crt");
  }

  /** PKIX with the tenant's CA as the only trust anchor. */
  private static boolean validates(X509Certificate certificate, X509Certificate anchor)
      throws Exception {
    var parameters =
        new java.security.cert.PKIXParameters(
            java.util.Set.of(new java.security.cert.TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    try {
      java.security.cert.CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)),
              parameters);
      return true;
    } catch (java.security.cert.CertPathValidatorException e) {
      return false;
    }
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void noOperatorMakesItselfAHeadendCertificateOfAnotherTenant() throws Exception {
    String adminB = operatorOf(keys, "hd-b", Role.ADMIN);
    // a multi-valued RDN is one RDN to Java, two to strongSwan: "O=hd-a, CN=ems-mgmt" (SET OF in
    // DER order, the shorter O first)
    for (String forged :
        List.of(
            "CN=ems-mgmt,O=hd-a",
            "CN=ems-mgmt+O=hd-a",
            "O=hd-a+CN=ems-mgmt",
            "CN=ems-mgmt,o=hd-a",
            "CN=ems-mgmt,2.5.4.10=hd-a",
            "CN=ems-mgmt,O=hd-b+O=hd-a")) {
      mvc.perform(
              post("/api/v1/end-entities")
                  .header("Authorization", adminB)
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(
                      json.writeValueAsString(
                          java.util.Map.of(
                              "name",
                              UUID.randomUUID().toString(),
                              "subjectDn",
                              forged,
                              "certificateProfile",
                              "device"))))
          .andExpect(status().isUnprocessableContent())
          .andExpect(jsonPath("$.code").value("validation-failed"))
          .andExpect(jsonPath("$.field").value("subjectDn"));
    }
  }

  private JsonNode bundle(String authorization) throws Exception {
    String body =
        mvc.perform(
                post("/api/v1/mgmt-headend/bundles")
                    .header("Authorization", authorization)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(REQUEST))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body);
  }

  private static String subject(JsonNode bundle, String tenant) throws Exception {
    String pem = file(bundle, "x509/ems-mgmt-" + tenant + ".crt");
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    return certificate.getSubjectX500Principal().getName();
  }

  private static String file(JsonNode bundle, String path) {
    for (JsonNode f : bundle.get("files")) {
      if (path.equals(f.get("path").asString())) {
        return f.get("content").asString();
      }
    }
    throw new AssertionError("no " + path + " in " + bundle.get("files"));
  }
}
