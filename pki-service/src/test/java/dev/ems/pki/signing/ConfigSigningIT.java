package dev.ems.pki.signing;

import static dev.ems.pki.PkiTestSupport.operatorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.ConfigSigningKeyRequested;
import dev.ems.common.event.ConfigSigningKeyRotationRequested;
import dev.ems.common.event.Topics;
import dev.ems.common.signing.ConfigSignatures;
import dev.ems.embedded.TestEvents;
import dev.ems.pki.ca.CaHierarchy;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import dev.ems.platform.tenant.Tenants;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 14.7: pki-service certifies config-signing keys from sc-service's CSR events with the
 * issuing CA, refuses what it must not certify (dead letter with the reason, no certificate), and
 * asks for new keys by policy or on an ADMIN's request.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ConfigSigningIT {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired CaHierarchy cas;
  @Autowired JdbcClient jdbc;
  @Autowired Tenants tenants;
  @Autowired ApiKeys keys;
  @Autowired MockMvc mvc;
  @Autowired ConfigSigningService service;
  @Autowired dev.ems.pki.ca.IssuingCas issuingCas;

  @Test
  void aKeysCsrGetsACodeSigningCertificateFromItsTenantsOwnIssuingCaOnce() throws Exception {
    String tenant = "signing-" + UUID.randomUUID();
    KeyPair key = keyPair("secp256r1");
    String keyId = ConfigSignatures.kid(key.getPublic());
    var request = new ConfigSigningKeyRequested(tenant, keyId, csr(key), Instant.now());

    publish(tenant, request);
    ConfigSigningCertificateIssued issued = awaitIssued(keyId);

    List<X509Certificate> chain = ConfigSignatures.parseChain(issued.chainPem());
    assertThat(chain).hasSize(3);
    X509Certificate leaf = chain.getFirst();
    // from the tenant's own issuing CA (issue 19), like its devices' certificates
    var tenantCa = issuingCas.forTenant(tenant);
    assertThat(chain.subList(1, 3)).containsExactly(tenantCa.certificate(), cas.root());
    assertThat(chain.get(1)).isNotEqualTo(cas.issuing());
    leaf.verify(tenantCa.certificate().getPublicKey());
    assertThat(leaf.getPublicKey()).isEqualTo(key.getPublic());
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getSubjectAlternativeNames())
        .anySatisfy(n -> assertThat(n.get(1)).isEqualTo("urn:ems:config-signing:" + tenant));
    assertThat(Duration.between(issued.notBefore(), issued.notAfter()))
        .isBetween(Duration.ofDays(90), Duration.ofDays(90).plusMinutes(6));
    assertThat(issued.tenant()).isEqualTo(tenant);
    // operators of the tenant see it, others do not
    mvc.perform(
            get("/api/v1/config-signing/certificates")
                .header("Authorization", operatorOf(keys, tenant, Role.VIEWER)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].keyId").value(keyId))
        .andExpect(jsonPath("$[0].serial").value(issued.serialNumber()));
    mvc.perform(
            get("/api/v1/config-signing/certificates")
                .header("Authorization", operatorOf(keys, "other-" + tenant, Role.ADMIN)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(0));

    // redelivered: the same certificate again, never a second one
    publish(tenant, request);
    List<ConsumerRecord<String, byte[]>> records =
        TestEvents.read(Topics.PKI_CONFIG_SIGNING, r -> issuedFor(r, keyId).size() >= 2, WAIT);
    assertThat(issuedFor(records, keyId))
        .extracting(ConfigSigningCertificateIssued::serialNumber)
        .containsOnly(issued.serialNumber());
    assertThat(rows(keyId)).isEqualTo(1);
  }

  @Test
  void aMalformedCsrAForeignKeyOrASuspendedTenantIsRefusedWithAReasonAndNoCertificate()
      throws Exception {
    String tenant = "refused-" + UUID.randomUUID();
    KeyPair key = keyPair("secp256r1");
    String malformedId = "malformed-" + UUID.randomUUID();
    publish(tenant, new ConfigSigningKeyRequested(tenant, malformedId, "not a csr", Instant.now()));
    assertThat(awaitDeadLetter(malformedId))
        .contains("refused")
        .contains("not a well-formed PKCS#10 request");

    // a CSR of another key than the one named
    String namedId = ConfigSignatures.kid(keyPair("secp256r1").getPublic());
    publish(tenant, new ConfigSigningKeyRequested(tenant, namedId, csr(key), Instant.now()));
    assertThat(awaitDeadLetter(namedId)).contains("not the key id it names");

    // a P-384 key cannot make ES256 signatures
    KeyPair p384 = keyPair("secp384r1");
    String p384Id = "p384-" + UUID.randomUUID();
    publish(tenant, new ConfigSigningKeyRequested(tenant, p384Id, csr(p384), Instant.now()));
    assertThat(awaitDeadLetter(p384Id)).contains("EC P-256");

    String suspended = "suspended-" + UUID.randomUUID();
    tenants.upsert(
        new Tenants.Tenant(
            suspended, suspended, Tenants.Status.SUSPENDED, Instant.now(), Instant.now()));
    String suspendedId = ConfigSignatures.kid(key.getPublic());
    publish(
        suspended, new ConfigSigningKeyRequested(suspended, suspendedId, csr(key), Instant.now()));
    assertThat(awaitDeadLetter(suspendedId)).contains("suspended");

    for (String id : List.of(malformedId, namedId, p384Id, suspendedId)) {
      assertThat(rows(id)).as(id).isZero();
    }
  }

  @Test
  void anAdminRotatesTheOwnTenantsKeyAndAgedCertificatesAreRotatedOnce() throws Exception {
    String tenant = "rotating-" + UUID.randomUUID();
    mvc.perform(
            post("/api/v1/config-signing/rotations")
                .header("Authorization", operatorOf(keys, tenant, Role.OPERATOR)))
        .andExpect(status().isForbidden());
    mvc.perform(
            post("/api/v1/config-signing/rotations")
                .header("Authorization", operatorOf(keys, tenant, Role.ADMIN)))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.tenant").value(tenant));
    assertThat(awaitRotation(tenant, "admin").tenant()).isEqualTo(tenant);

    // a certificate past two thirds of its lifetime, and its tenant's newer one that is not
    String aged = "aged-" + UUID.randomUUID();
    Instant now = Instant.now();
    insertCertificate(aged, now.minus(Duration.ofDays(61)), now.plus(Duration.ofDays(29)));
    String fresh = "fresh-" + UUID.randomUUID();
    insertCertificate(fresh, now.minus(Duration.ofDays(70)), now.plus(Duration.ofDays(20)));
    insertCertificate(fresh, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(89)));

    service.rotateAged(1000);
    assertThat(awaitRotation(aged, "lifetime").tenant()).isEqualTo(aged);
    assertThat(
            jdbc.sql(
                    "select count(*) from config_signing_certificate where tenant_id = ? and"
                        + " rotation_requested_at is not null")
                .param(fresh)
                .query(Integer.class)
                .single())
        .isZero();
    assertThat(
            jdbc.sql(
                    "select rotation_requested_at is not null from config_signing_certificate"
                        + " where tenant_id = ?")
                .param(aged)
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  private void insertCertificate(String tenant, Instant notBefore, Instant notAfter) {
    jdbc.sql(
            "insert into config_signing_certificate (key_id, tenant_id, serial, chain_pem,"
                + " not_before, not_after, created_at) values (?, ?, ?, 'pem', ?, ?, now())")
        .params(
            UUID.randomUUID().toString(),
            tenant,
            UUID.randomUUID().toString(),
            Timestamp.from(notBefore),
            Timestamp.from(notAfter))
        .update();
  }

  private int rows(String keyId) {
    return jdbc.sql("select count(*) from config_signing_certificate where key_id = ?")
        .param(keyId)
        .query(Integer.class)
        .single();
  }

  private static void publish(String tenant, ConfigSigningKeyRequested request) {
    TestEvents.publish(
        Topics.SC_CONFIG_SIGNING, EventEnvelope.of("/sc-service", tenant, tenant, request));
  }

  private static ConfigSigningCertificateIssued awaitIssued(String keyId) {
    return TestEvents.awaitEvent(
            Topics.PKI_CONFIG_SIGNING,
            ConfigSigningCertificateIssued.class,
            e -> e.payload().keyId().equals(keyId),
            WAIT)
        .payload();
  }

  private static ConfigSigningKeyRotationRequested awaitRotation(String tenant, String reason) {
    return TestEvents.awaitEvent(
            Topics.PKI_CONFIG_SIGNING,
            ConfigSigningKeyRotationRequested.class,
            e -> e.payload().tenant().equals(tenant) && e.payload().reason().equals(reason),
            WAIT)
        .payload();
  }

  private static List<ConfigSigningCertificateIssued> issuedFor(
      List<ConsumerRecord<String, byte[]>> records, String keyId) {
    return records.stream()
        .map(r -> TestEvents.decodeOrNull(r, ConfigSigningCertificateIssued.class))
        .filter(e -> e != null && e.payload().keyId().equals(keyId))
        .map(EventEnvelope::payload)
        .toList();
  }

  /** The dead-letter record of the request for the key id; returns the refusal's message. */
  private static String awaitDeadLetter(String keyId) {
    List<ConsumerRecord<String, byte[]>> records =
        TestEvents.read(
            Topics.deadLetter(Topics.SC_CONFIG_SIGNING),
            rs -> rs.stream().anyMatch(r -> forKey(r, keyId)),
            WAIT);
    ConsumerRecord<String, byte[]> dead =
        records.stream().filter(r -> forKey(r, keyId)).findFirst().orElseThrow();
    var message = dead.headers().lastHeader("kafka_dlt-exception-message");
    assertThat(message).as("the reason travels with the dead letter").isNotNull();
    return new String(message.value(), StandardCharsets.UTF_8);
  }

  private static boolean forKey(ConsumerRecord<String, byte[]> record, String keyId) {
    var event = TestEvents.decodeOrNull(record, ConfigSigningKeyRequested.class);
    return event != null && keyId.equals(event.payload().keyId());
  }

  private static KeyPair keyPair(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static String csr(KeyPair key) throws Exception {
    String algorithm =
        key.getPublic().getEncoded().length > 100 ? "SHA384withECDSA" : "SHA256withECDSA";
    var csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=sc"), key.getPublic())
            .build(new JcaContentSignerBuilder(algorithm).build(key.getPrivate()));
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr.getEncoded())
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
