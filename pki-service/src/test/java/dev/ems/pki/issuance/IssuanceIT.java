package dev.ems.pki.issuance;

import static dev.ems.pki.PkiTestSupport.ADMIN;
import static dev.ems.pki.PkiTestSupport.certificates;
import static dev.ems.pki.PkiTestSupport.issue;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static dev.ems.pki.PkiTestSupport.openssl;
import static dev.ems.pki.PkiTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.pki.TestCsrs;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class IssuanceIT {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;
  @Autowired Certificates certificates;

  @Test
  void issuedCertificateTakesSubjectFromTheEntityAndVerifiesWithJdkAndOpenssl(@TempDir Path dir)
      throws Exception {
    String entity = newEntity(mvc);
    JsonNode issued = issue(mvc, entity, TestCsrs.p256("CN=i-want-to-be-admin,O=Evil"));

    X509Certificate cert = certificates(issued.get("certificatePem").asString()).getFirst();
    List<X509Certificate> chain = certificates(issued.get("chainPem").asString());
    assertThat(chain).hasSize(2);
    assertThat(cert.getSubjectX500Principal().getName())
        .isEqualTo("CN=" + entity + ",OU=Devices,O=default");
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactlyInAnyOrder((Object) ("urn:uuid:" + entity), "cpe.example.net");
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.17");
    assertThat(cert.getKeyUsage()[0]).isTrue(); // digitalSignature
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays())
        .isBetween(363L, 365L); // profile "device": P365D
    assertThat(cert.getSerialNumber().toString(16)).isEqualTo(issued.get("serial").asString());

    var params = new PKIXParameters(Set.of(new TrustAnchor(chain.get(1), null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert, chain.get(0))),
            params);

    write(dir, "cert.pem", issued.get("certificatePem").asString());
    write(
        dir,
        "issuing.pem",
        issued.get("chainPem").asString().split("(?<=-----END CERTIFICATE-----\n)")[0]);
    write(
        dir,
        "root.pem",
        issued.get("chainPem").asString().split("(?<=-----END CERTIFICATE-----\n)")[1]);
    var result =
        openssl(
            dir,
            "verify",
            "-CAfile",
            "root.pem",
            "-untrusted",
            "issuing.pem",
            "-purpose",
            "sslclient",
            "cert.pem");
    assertThat(result.output()).contains("cert.pem: OK");
    assertThat(result.exit()).isZero();
  }

  @Test
  void keyIdentifiersAndRevocationPointersMatchTheKeysAndThisService() throws Exception {
    String entity = newEntity(mvc);
    for (var keys : List.of(TestCsrs.ec("secp256r1"), TestCsrs.rsa(2048))) {
      JsonNode issued = issue(mvc, entity, TestCsrs.pem(TestCsrs.request(keys, "CN=" + entity)));
      X509Certificate cert = certificates(issued.get("certificatePem").asString()).getFirst();
      X509Certificate issuer = certificates(issued.get("chainPem").asString()).getFirst();
      var holder = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(cert);
      var ext = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();

      assertThat(
              org.bouncycastle.asn1.x509.SubjectKeyIdentifier.fromExtensions(holder.getExtensions())
                  .getKeyIdentifier())
          .isEqualTo(ext.createSubjectKeyIdentifier(keys.getPublic()).getKeyIdentifier());
      assertThat(
              org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.fromExtensions(
                      holder.getExtensions())
                  .getKeyIdentifierObject())
          .isEqualTo(ext.createAuthorityKeyIdentifier(issuer).getKeyIdentifierObject());
      assertThat(cert.getCriticalExtensionOIDs())
          .containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15"); // basic constraints, key usage
      boolean rsa = "RSA".equals(keys.getPublic().getAlgorithm());
      assertThat(cert.getKeyUsage()[2]).isEqualTo(rsa); // keyEncipherment for RSA keys only
      String pointers =
          org.bouncycastle.asn1.x509.CRLDistPoint.fromExtensions(holder.getExtensions())
                  .getDistributionPoints()[0]
                  .getDistributionPoint()
                  .getName()
              + " "
              + org.bouncycastle.asn1.x509.AuthorityInformationAccess.fromExtensions(
                      holder.getExtensions())
                  .getAccessDescriptions()[0]
                  .getAccessLocation();
      assertThat(pointers)
          .contains("6: http://localhost:8084/pki/v1/crl")
          .endsWith("6: http://localhost:8084/pki/v1/ocsp");
    }
  }

  @Test
  void batchedInsertStoresOnlyCertificatesOfActiveEntities() throws Exception {
    String active = newEntity(mvc);
    String deleted = newEntity(mvc);
    mvc.perform(
            org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                    "/api/v1/end-entities/" + deleted)
                .header("Authorization", ADMIN))
        .andExpect(status().isOk());
    List<CertificateRecord> records = List.of(record(active), record(deleted), record(active));
    boolean[] stored = certificates.insertAll(records, java.util.Arrays.asList(null, null, "ab"));
    assertThat(stored).containsExactly(true, false, true);
    assertThat(certificates.findAnyTenant(records.get(1).serial())).isEmpty();
    assertThat(certificates.findAnyTenant(records.get(2).serial()))
        .get()
        .extracting(CertificateRecord::entityName)
        .isEqualTo(active);
  }

  private CertificateRecord record(String entityName) {
    UUID id =
        jdbc.sql("select id from end_entity where name = ? order by created_at desc limit 1")
            .param(entityName)
            .query(UUID.class)
            .single();
    Instant now = Instant.now();
    return new CertificateRecord(
        UUID.randomUUID().toString().replace("-", ""),
        "default",
        id,
        entityName,
        "CN=test",
        "CN=" + entityName,
        now,
        now.plusSeconds(60),
        "00",
        new byte[] {1},
        CertificateRecord.VALID,
        null,
        null,
        null);
  }

  @Test
  void certificatesAreListedAndSearchableAndEachTenantRowIsStored() throws Exception {
    String entity = newEntity(mvc);
    String serial = issue(mvc, entity, TestCsrs.p256("CN=x")).get("serial").asString();
    issue(mvc, entity, TestCsrs.pem(TestCsrs.request(TestCsrs.rsa(2048), "CN=x")));

    mvc.perform(get("/api/v1/certificates/" + serial).header("Authorization", ADMIN))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("VALID"))
        .andExpect(jsonPath("$.entityName").value(entity));
    mvc.perform(
            get("/api/v1/end-entities/" + entity + "/certificates").header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(2));
    mvc.perform(
            get("/api/v1/certificates")
                .param("entity", entity)
                .param("status", "VALID")
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(2));
    mvc.perform(
            get("/api/v1/certificates")
                .param("entity", entity)
                .param("expiringWithin", "P30D")
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.length()").value(0));
    mvc.perform(
            get("/api/v1/certificates")
                .param("expiringWithin", "soon")
                .header("Authorization", ADMIN))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("expiringWithin"));
    assertThat(
            jdbc.sql(
                    "select count(*) from certificate where entity_name = ? and tenant_id = 'default'")
                .param(entity)
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  static List<Object[]> badCsrs() {
    return List.of(
        new Object[] {"not a csr", "invalid-csr"},
        new Object[] {
          "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
          "invalid-csr"
        },
        new Object[] {TestCsrs.tampered(), "invalid-csr"},
        new Object[] {TestCsrs.pem(TestCsrs.request(TestCsrs.rsa(1024), "CN=weak")), "weak-key"},
        new Object[] {
          TestCsrs.pem(TestCsrs.request(TestCsrs.ec("secp521r1"), "CN=p521")), "weak-key"
        });
  }

  @ParameterizedTest
  @MethodSource("badCsrs")
  void badCsrIsAProblemAndIssuesNothing(String csr, String code) throws Exception {
    String entity = newEntity(mvc);
    mvc.perform(
            post("/api/v1/end-entities/" + entity + "/certificates")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("csr", csr))))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value(code))
        .andExpect(jsonPath("$.field").value("csr"));
    assertThat(
            jdbc.sql("select count(*) from certificate where entity_name = ?")
                .param(entity)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void unknownEntityDuplicateEntityAndBadEntityInputAreProblems() throws Exception {
    mvc.perform(
            post("/api/v1/end-entities/" + UUID.randomUUID() + "/certificates")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("csr", TestCsrs.p256("CN=x")))))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    String entity = newEntity(mvc);
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\""
                        + entity
                        + "\",\"subjectDn\":\"CN=a\",\"certificateProfile\":\"device\"}"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.code").value("duplicate-end-entity"));
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\""
                        + UUID.randomUUID()
                        + "\",\"subjectDn\":\"CN=a\",\"certificateProfile\":\"gold\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.field").value("certificateProfile"));
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"not-a-uuid\",\"subjectDn\":\"CN=a\",\"certificateProfile\":\"device\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.field").value("name"));
    mvc.perform(get("/api/v1/end-entities/" + entity).header("Authorization", ADMIN))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.certificateProfile").value("device"));
  }

  @Test
  void serverSideKeyGenerationReturnsAPasswordProtectedPkcs12OnlyToTheCaller() throws Exception {
    String entity = newEntity(mvc);
    var response =
        mvc.perform(
                post("/api/v1/end-entities/" + entity + "/keystores")
                    .header("Authorization", ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"password\":\"s3cret-pass\",\"keyAlgorithm\":\"EC_P256\"}"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse();
    KeyStore p12 = KeyStore.getInstance("PKCS12");
    p12.load(
        new ByteArrayInputStream(response.getContentAsByteArray()), "s3cret-pass".toCharArray());
    var key = (PrivateKey) p12.getKey(entity, "s3cret-pass".toCharArray());
    var cert = (X509Certificate) p12.getCertificate(entity);
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    assertThat(p12.getCertificateChain(entity)).hasSize(3);
    assertThat(cert.getSerialNumber().toString(16))
        .isEqualTo(response.getHeader("X-Certificate-Serial"));
    // the key is not kept anywhere: the certificate row holds only the public certificate
    mvc.perform(
            get("/api/v1/certificates/" + response.getHeader("X-Certificate-Serial"))
                .header("Authorization", ADMIN))
        .andExpect(jsonPath("$.privateKey").doesNotExist())
        .andExpect(jsonPath("$.status").value("VALID"));
  }

  private static String chain(MockMvc mvc) throws Exception {
    return mvc.perform(get("/api/v1/cas/issuing/chain").header("Authorization", ADMIN))
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void casAreListedAndTheirChainsDownloadableButNeverTheirKeys() throws Exception {
    String list =
        mvc.perform(get("/api/v1/cas").header("Authorization", ADMIN))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.length()").value(3))
            .andExpect(jsonPath("$[2].id").value("tenant"))
            // the id of its CRL URL, which SCEP gear sends as GetCACert's message (issue 19)
            .andExpect(jsonPath("$[2].caId").value(org.hamcrest.Matchers.startsWith("tenant-")))
            .andExpect(jsonPath("$[1].caId").value("issuing"))
            .andExpect(jsonPath("$[0].caId").doesNotExist())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(list).doesNotContainIgnoringCase("private").doesNotContain("encrypted");
    // the caller's own tenant's issuing CA (issue 19), under EMS's root
    String tenantChain =
        mvc.perform(get("/api/v1/cas/tenant/chain").header("Authorization", ADMIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(certificates(tenantChain)).hasSize(2);
    assertThat(certificates(tenantChain).get(1)).isEqualTo(certificates(chain(mvc)).get(1));
    assertThat(certificates(tenantChain).get(0).getSubjectX500Principal().getName())
        .contains("OU=");
    String chain =
        mvc.perform(get("/api/v1/cas/issuing/chain").header("Authorization", ADMIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(certificates(chain)).hasSize(2);
    assertThat(chain).doesNotContain("PRIVATE KEY");
    mvc.perform(get("/api/v1/cas/nope/chain").header("Authorization", ADMIN))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("ca-not-found"));
    mvc.perform(get("/api/v1/cas")).andExpect(status().isUnauthorized());
  }
}
