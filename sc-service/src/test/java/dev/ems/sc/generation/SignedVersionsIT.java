package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.ConfigSigningKeyRequested;
import dev.ems.common.event.ConfigSigningKeyRotationRequested;
import dev.ems.common.event.Topics;
import dev.ems.common.signing.ConfigSignatures;
import dev.ems.embedded.TestEvents;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 14.7: every new version is signed by its tenant's config-signing key; the key's CSR goes to
 * pki-service (played here by a test CA) and its certificate comes back; a rotation switches new
 * versions to the new key once it is certified while old versions still verify.
 */
@SpringBootTest
class SignedVersionsIT {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired ConfigPublisher publisher;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;

  final KeyPair caKeys = keyPair();
  final X509Certificate ca = caCertificate();

  @Test
  void aNewVersionCarriesASignatureThatVerifiesWithTheCertifiedKey() throws Exception {
    String tenant = "sign-" + UUID.randomUUID();
    UUID device = insertDevice(tenant);

    int v1 = publish(tenant, device, "one");
    String first = signature(device, v1);
    ConfigSigningKeyRequested request = awaitRequest(tenant, null);
    assertThat(ConfigSignatures.kidOf(first)).isEqualTo(request.keyId());
    assertThat(header(first)).doesNotContain("x5t#S256");

    X509Certificate cert = certify(tenant, request);
    await().atMost(WAIT).until(() -> certified(request.keyId()));
    assertThat(ConfigSignatures.verify(files("one"), first, List.of(cert), Instant.now()).kid())
        .isEqualTo(request.keyId());

    int v2 = publish(tenant, device, "two");
    String second = signature(device, v2);
    assertThat(header(second))
        .contains("\"kid\":\"" + request.keyId() + "\"")
        .contains("\"x5t#S256\":\"" + ConfigSignatures.x5tS256(cert) + "\"");
    assertThat(ConfigSignatures.verify(files("two"), second, List.of(cert), Instant.now()))
        .isNotNull();
    EventEnvelope<ConfigPublished> published =
        TestEvents.awaitEvent(
            Topics.SC_CONFIGS,
            ConfigPublished.class,
            e -> e.payload().deviceId().equals(device) && e.payload().version() == v2,
            WAIT);
    assertThat(published.payload().signature()).isEqualTo(second);
  }

  @Test
  void afterARotationNewVersionsUseTheNewKeyAndOldOnesStillVerify() throws Exception {
    String tenant = "rotate-" + UUID.randomUUID();
    UUID device = insertDevice(tenant);
    int v1 = publish(tenant, device, "before");
    ConfigSigningKeyRequested oldKey = awaitRequest(tenant, null);
    X509Certificate oldCert = certify(tenant, oldKey);
    await().atMost(WAIT).until(() -> certified(oldKey.keyId()));

    var rotation =
        new ConfigSigningKeyRotationRequested(tenant, UUID.randomUUID(), "admin", Instant.now());
    TestEvents.publish(
        Topics.PKI_CONFIG_SIGNING, EventEnvelope.of("/pki-service", tenant, tenant, rotation));
    // redelivered: still one new key
    TestEvents.publish(
        Topics.PKI_CONFIG_SIGNING, EventEnvelope.of("/pki-service", tenant, tenant, rotation));
    ConfigSigningKeyRequested newKey = awaitRequest(tenant, oldKey.keyId());
    assertThat(newKey.keyId()).isNotEqualTo(oldKey.keyId());

    // not certified yet: new versions keep the old key
    int v2 = publish(tenant, device, "while-rotating");
    assertThat(ConfigSignatures.kidOf(signature(device, v2))).isEqualTo(oldKey.keyId());

    X509Certificate newCert = certify(tenant, newKey);
    await().atMost(WAIT).until(() -> certified(newKey.keyId()));
    int v3 = publish(tenant, device, "after");
    String after = signature(device, v3);
    assertThat(ConfigSignatures.kidOf(after)).isEqualTo(newKey.keyId());

    List<X509Certificate> published = List.of(newCert, oldCert);
    assertThat(ConfigSignatures.verify(files("after"), after, published, Instant.now()).kid())
        .isEqualTo(newKey.keyId());
    assertThat(
            ConfigSignatures.verify(
                    files("before"), signature(device, v1), published, Instant.now())
                .kid())
        .isEqualTo(oldKey.keyId());
    assertThat(
            jdbc.sql("select count(*) from config_signing_key where tenant_id = ?")
                .param(tenant)
                .query(Integer.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void aKeyStillWithoutCertificateIsRequestedAgainOnALaterPublish() {
    String tenant = "again-" + UUID.randomUUID();
    UUID device = insertDevice(tenant);
    publish(tenant, device, "one");
    String keyId = awaitRequest(tenant, null).keyId();
    // pki-service refused or lost it, long ago
    jdbc.sql(
            "update config_signing_key set requested_at = now() - interval '1 hour'"
                + " where key_id = ?")
        .param(keyId)
        .update();

    publish(tenant, device, "two");

    var requests =
        TestEvents.read(
            Topics.SC_CONFIG_SIGNING, records -> requestsOf(records, tenant).size() >= 2, WAIT);
    assertThat(requestsOf(requests, tenant))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.keyId()).isEqualTo(keyId));
  }

  private static List<ConfigSigningKeyRequested> requestsOf(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records,
      String tenant) {
    return records.stream()
        .map(r -> TestEvents.decodeOrNull(r, ConfigSigningKeyRequested.class))
        .filter(e -> e != null && e.tenant().equals(tenant))
        .map(EventEnvelope::payload)
        .toList();
  }

  private int publish(String tenant, UUID device, String content) {
    List<ConfigFile> files = files(content);
    return tx.execute(
        s ->
            publisher
                .publish(
                    tenant,
                    device,
                    files,
                    files,
                    ConfigBundles.sha256(files),
                    Map.of(),
                    "test",
                    null,
                    null,
                    "test")
                .version());
  }

  private static List<ConfigFile> files(String content) {
    return List.of(
        new ConfigFile("/etc/config/system", "option hostname '" + content + "'\n"),
        new ConfigFile("/etc/config/network", "config interface 'lan'\n"));
  }

  private String signature(UUID device, int version) {
    return jdbc.sql("select signature from config_version where device_id = ? and version = ?")
        .params(device, version)
        .query(String.class)
        .single();
  }

  private boolean certified(String keyId) {
    return jdbc.sql("select chain_pem is not null from config_signing_key where key_id = ?")
        .param(keyId)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  private static ConfigSigningKeyRequested awaitRequest(String tenant, String notKeyId) {
    return TestEvents.awaitEvent(
            Topics.SC_CONFIG_SIGNING,
            ConfigSigningKeyRequested.class,
            e -> e.tenant().equals(tenant) && !e.payload().keyId().equals(notKeyId),
            WAIT)
        .payload();
  }

  /** Certifies the requested key as pki-service does and publishes the chain. */
  private X509Certificate certify(String tenant, ConfigSigningKeyRequested request)
      throws Exception {
    PKCS10CertificationRequest csr;
    try (var parser = new PEMParser(new StringReader(request.csrPem()))) {
      csr = (PKCS10CertificationRequest) parser.readObject();
    }
    var key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    Instant now = Instant.now();
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        new X500Name(ca.getSubjectX500Principal().getName()),
                        BigInteger.valueOf(System.nanoTime()),
                        Date.from(now.minusSeconds(60)),
                        Date.from(now.plus(Duration.ofDays(90))),
                        new X500Name("CN=EMS config signing " + tenant),
                        key)
                    .build(
                        new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    TestEvents.publish(
        Topics.PKI_CONFIG_SIGNING,
        EventEnvelope.of(
            "/pki-service",
            tenant,
            tenant,
            new ConfigSigningCertificateIssued(
                tenant,
                request.keyId(),
                cert.getSerialNumber().toString(16),
                pem(cert) + pem(ca),
                cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant())));
    return cert;
  }

  private static String header(String jws) {
    return new String(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
  }

  private static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate caCertificate() {
    try {
      X500Name name = new X500Name("CN=Test Issuing CA");
      Instant now = Instant.now();
      return new JcaX509CertificateConverter()
          .getCertificate(
              new JcaX509v3CertificateBuilder(
                      name,
                      BigInteger.ONE,
                      Date.from(now.minusSeconds(60)),
                      Date.from(now.plus(Duration.ofDays(365))),
                      name,
                      caKeys.getPublic())
                  .build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private UUID insertDevice(String tenant) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into device (id, tenant_id, serial, model, name, bootstrap_token_hash,"
                + " created_at, updated_at) values (?, ?, ?, 'm', 'n', 'h', now(), now())")
        .params(id, tenant, "SN-" + id)
        .update();
    return id;
  }
}
