package dev.ems.pki.revocation;

import static dev.ems.pki.PkiTestSupport.ADMIN;
import static dev.ems.pki.PkiTestSupport.issue;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static dev.ems.pki.PkiTestSupport.openssl;
import static dev.ems.pki.PkiTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.pki.SharedCaCertificates;
import dev.ems.pki.TestCsrs;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.system.Pem;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
class RevocationIT {

  static final String SPLIT = "(?<=-----END CERTIFICATE-----\n)";

  @Autowired MockMvc mvc;
  @Autowired IssuingCas cas;
  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;

  @Test
  void revokedSerialIsOnTheNextCrlAndOpensslOcspAnswersRevoked(@TempDir Path dir) throws Exception {
    String entity = newEntity(mvc);
    JsonNode good = issue(mvc, entity, TestCsrs.p256("CN=a"));
    JsonNode bad = issue(mvc, entity, TestCsrs.p256("CN=b"));
    String[] chain = bad.get("chainPem").asString().split(SPLIT);
    write(dir, "issuing.pem", chain[0]);
    write(dir, "root.pem", chain[1]);
    write(dir, "good.pem", good.get("certificatePem").asString());
    write(dir, "bad.pem", bad.get("certificatePem").asString());

    revoke(bad.get("serial").asString(), "keyCompromise")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("REVOKED"))
        .andExpect(jsonPath("$.reason").value("keyCompromise"));

    // the tenant's issuing CA's own CRL (issue 19), where the certificate says it is
    String crlPath = crlPath(PkiCerts.parse(bad.get("certificatePem").asString()));
    assertThat(crlPath).startsWith("/pki/v1/crl/tenant-");
    byte[] crlDer =
        mvc.perform(get(crlPath))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    X509CRL crl =
        (X509CRL)
            CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crlDer));
    crl.verify(PkiCerts.parse(chain[0]).getPublicKey());
    assertThat(crl.getRevokedCertificate(new BigInteger(bad.get("serial").asString(), 16)))
        .isNotNull();
    assertThat(crl.getRevokedCertificate(new BigInteger(good.get("serial").asString(), 16)))
        .isNull();

    String crlPem =
        mvc.perform(get(crlPath).param("format", "pem"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    write(dir, "crl.pem", crlPem);
    var text = openssl(dir, "crl", "-in", "crl.pem", "-noout", "-text");
    assertThat(text.output().toLowerCase())
        .contains(bad.get("serial").asString().toLowerCase())
        .contains("key compromise");
    write(dir, "chain-crl.pem", chain[0] + chain[1] + crlPem);
    var crlCheck = openssl(dir, "verify", "-crl_check", "-CAfile", "chain-crl.pem", "bad.pem");
    assertThat(crlCheck.output()).contains("certificate revoked");

    String url = "http://localhost:" + port + "/pki/v1/ocsp";
    var ocspBad =
        openssl(
            dir,
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-CAfile",
            "root.pem",
            "-cert",
            "bad.pem",
            "-url",
            url);
    assertThat(ocspBad.output())
        .contains("Response verify OK")
        .contains("bad.pem: revoked")
        .contains("keyCompromise");
    var ocspGood =
        openssl(
            dir,
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-CAfile",
            "root.pem",
            "-cert",
            "good.pem",
            "-url",
            url);
    assertThat(ocspGood.output()).contains("Response verify OK").contains("good.pem: good");
  }

  /**
   * Issue 19: certificates the shared issuing CA issued before tenants had CAs of their own stay
   * revocable: on the shared CA's CRL at {@code /pki/v1/crl}, answered by OCSP signed by that CA,
   * while a tenant CA's certificate is on its own CRL only. Unknown CRLs are 404 problems.
   */
  @Test
  void certificatesOfTheSharedCaStayOnItsCrlAndOcspBesideTheTenantCas(@TempDir Path dir)
      throws Exception {
    String entity = newEntity(mvc);
    X509Certificate legacy =
        SharedCaCertificates.issue(cas, jdbc, "default", entity, TestCsrs.ec("secp256r1"));
    JsonNode current = issue(mvc, entity, TestCsrs.p256("CN=a"));
    String legacySerial = legacy.getSerialNumber().toString(16);
    revoke(legacySerial, "keyCompromise").andExpect(status().isOk());
    revoke(current.get("serial").asString(), "superseded").andExpect(status().isOk());

    X509CRL shared = crl("/pki/v1/crl");
    shared.verify(cas.shared().certificate().getPublicKey());
    assertThat(shared.getRevokedCertificate(legacy.getSerialNumber())).isNotNull();
    assertThat(shared.getRevokedCertificate(new BigInteger(current.get("serial").asString(), 16)))
        .isNull();
    X509CRL tenants = crl(crlPath(PkiCerts.parse(current.get("certificatePem").asString())));
    tenants.verify(cas.forTenant("default").certificate().getPublicKey());
    assertThat(tenants.getRevokedCertificate(legacy.getSerialNumber())).isNull();
    assertThat(tenants.getRevokedCertificate(new BigInteger(current.get("serial").asString(), 16)))
        .isNotNull();

    write(dir, "shared.pem", Pem.certificate(cas.shared().certificate().getEncoded()));
    write(dir, "root.pem", Pem.certificate(cas.root().getEncoded()));
    write(dir, "legacy.pem", Pem.certificate(legacy.getEncoded()));
    var ocsp =
        openssl(
            dir,
            "ocsp",
            "-issuer",
            "shared.pem",
            "-CAfile",
            "root.pem",
            "-cert",
            "legacy.pem",
            "-url",
            "http://localhost:" + port + "/pki/v1/ocsp");
    assertThat(ocsp.output())
        .contains("Response verify OK")
        .contains("legacy.pem: revoked")
        .contains("keyCompromise");

    for (String unknown : List.of("/pki/v1/crl/root", "/pki/v1/crl/tenant-nope", "/pki/v1/crl/x")) {
      mvc.perform(get(unknown))
          .andExpect(status().isNotFound())
          .andExpect(jsonPath("$.code").value("ca-not-found"));
    }
  }

  private X509CRL crl(String path) throws Exception {
    byte[] der =
        mvc.perform(get(path))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  /** The path of the certificate's CRL distribution point. */
  static String crlPath(X509Certificate certificate) throws Exception {
    var points =
        CRLDistPoint.getInstance(
            org.bouncycastle.asn1.ASN1OctetString.getInstance(
                    certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()))
                .getOctets());
    String url =
        ((org.bouncycastle.asn1.ASN1String)
                GeneralNames.getInstance(
                        points.getDistributionPoints()[0].getDistributionPoint().getName())
                    .getNames()[0]
                    .getName())
            .getString();
    return java.net.URI.create(url).getPath();
  }

  @Test
  void ocspGetWithUrlEncodedRequestAnswersAndGarbageIsMalformed() throws Exception {
    String entity = newEntity(mvc);
    JsonNode issued = issue(mvc, entity, TestCsrs.p256("CN=a"));
    String[] chain = issued.get("chainPem").asString().split(SPLIT);
    revoke(issued.get("serial").asString(), "superseded").andExpect(status().isOk());
    var id =
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(PkiCerts.parse(chain[0])),
            new BigInteger(issued.get("serial").asString(), 16));
    byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
    String encoded =
        URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.UTF_8);
    byte[] body =
        mvc.perform(get(java.net.URI.create("/pki/v1/ocsp/" + encoded)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    var basic = (BasicOCSPResp) new OCSPResp(body).getResponseObject();
    assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);

    byte[] garbage =
        mvc.perform(
                post("/pki/v1/ocsp")
                    .contentType("application/ocsp-request")
                    .content(new byte[] {1, 2, 3}))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    assertThat(new OCSPResp(garbage).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
  }

  @Test
  void revokingTwiceOrWithAnUnknownReasonIsAProblemAndChangesNothing() throws Exception {
    String serial = issue(mvc, newEntity(mvc), TestCsrs.p256("CN=a")).get("serial").asString();
    revoke(serial, "becauseISaySo")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("validation-failed"))
        .andExpect(jsonPath("$.field").value("reason"));
    certificate(serial).andExpect(jsonPath("$.status").value("VALID"));
    revoke(serial, "certificateHold").andExpect(jsonPath("$.field").value("reason"));
    revoke(serial, "affiliationChanged").andExpect(status().isOk());
    revoke(serial, "keyCompromise")
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.code").value("already-revoked"));
    certificate(serial).andExpect(jsonPath("$.revocationReason").value("affiliationChanged"));
    revoke("abcdef0123", "keyCompromise")
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("certificate-not-found"));
  }

  @Test
  void deletingAnEntityRevokesItsLiveCertificatesAndKeepsTheTrail() throws Exception {
    String entity = newEntity(mvc);
    String first = issue(mvc, entity, TestCsrs.p256("CN=a")).get("serial").asString();
    String second = issue(mvc, entity, TestCsrs.p256("CN=b")).get("serial").asString();
    revoke(first, "superseded").andExpect(status().isOk());

    mvc.perform(delete("/api/v1/end-entities/" + entity).header("Authorization", ADMIN))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.revokedSerials.length()").value(1))
        .andExpect(jsonPath("$.revokedSerials[0]").value(second));

    certificate(first).andExpect(jsonPath("$.revocationReason").value("superseded"));
    certificate(second).andExpect(jsonPath("$.revocationReason").value("cessationOfOperation"));
    mvc.perform(get("/api/v1/end-entities/" + entity).header("Authorization", ADMIN))
        .andExpect(status().isNotFound());
    mvc.perform(
            get("/api/v1/end-entities")
                .param("includeDeleted", "true")
                .param("size", "500")
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$[?(@.name == '" + entity + "')].status").value("DELETED"));
    mvc.perform(
            post("/api/v1/end-entities/" + entity + "/certificates")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"csr\":\"x\"}"))
        .andExpect(status().isNotFound());
  }

  @Test
  void issuanceAndRevocationAreAnnouncedOnKafka() throws Exception {
    String entity = newEntity(mvc);
    String serial = issue(mvc, entity, TestCsrs.p256("CN=a")).get("serial").asString();
    revoke(serial, "keyCompromise").andExpect(status().isOk());
    UUID device = UUID.fromString(entity);

    var issued =
        TestEvents.awaitEvent(
            Topics.PKI_CERTIFICATES,
            CertificateIssued.class,
            e -> e.payload().serialNumber().equals(serial),
            Duration.ofSeconds(30));
    assertThat(issued.payload().deviceId()).isEqualTo(device);
    assertThat(issued.subject()).isEqualTo(entity);
    assertThat(issued.tenant()).isEqualTo("default");
    var revoked =
        TestEvents.awaitEvent(
            Topics.PKI_CERTIFICATES,
            CertificateRevoked.class,
            e -> e.payload().serialNumber().equals(serial),
            Duration.ofSeconds(30));
    assertThat(revoked.payload().reason()).isEqualTo("keyCompromise");
    assertThat(revoked.payload().fingerprintSha256())
        .isEqualTo(issued.payload().fingerprintSha256());
  }

  private org.springframework.test.web.servlet.ResultActions revoke(String serial, String reason)
      throws Exception {
    return mvc.perform(
        post("/api/v1/certificates/" + serial + "/revoke")
            .header("Authorization", ADMIN)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"reason\":\"" + reason + "\"}"));
  }

  private org.springframework.test.web.servlet.ResultActions certificate(String serial)
      throws Exception {
    return mvc.perform(get("/api/v1/certificates/" + serial).header("Authorization", ADMIN));
  }

  /** Parses one PEM certificate. */
  static final class PkiCerts {
    static java.security.cert.X509Certificate parse(String pem) throws Exception {
      return (java.security.cert.X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
  }
}
