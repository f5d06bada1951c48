package dev.ems.device.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.device.DeviceApiClient;
import dev.ems.device.identity.TestPki;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Instant;
import java.util.UUID;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaHttpAuthBuilder;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * EST (RFC 7030) over device-api's own TLS, driven by BouncyCastle's EST client (a client nobody on
 * this team wrote); every response is also read by {@code openssl} ({@link EstWire}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EstIT {

  static final TestPki.Issued DEVICE_CA;
  static final TestPki.Issued SERVER_CA;
  static final TestPki.Issued SERVER;
  static EstStubPki pki;

  static {
    try {
      DEVICE_CA = TestPki.ca("EMS Test Device CA");
      SERVER_CA = TestPki.ca("EMS Test Server CA");
      SERVER = TestPki.server(SERVER_CA);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) throws Exception {
    EstWire.tls(registry, SERVER, SERVER_CA, DEVICE_CA);
    pki = EstStubPki.serving(DEVICE_CA, registry);
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  EstWire wire;

  @BeforeEach
  void wire() {
    wire = new EstWire(port, SERVER_CA);
    pki.renewalRefusal.set(null);
  }

  @Test
  void cacertsAndCsrattrsAreWhatTheRfcSays() throws Exception {
    var caCerts = est(null).getCACerts();
    X509CertificateHolder[] held = ESTService.storeToArray(caCerts.getCertificateStore());
    assertThat(held).hasSize(1);
    assertThat(held[0].getSubject().toString()).isEqualTo("CN=EMS Test Device CA");

    var raw = wire.get("/.well-known/est/cacerts", null);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/pkcs7-mime")
        .contains("smime-type=certs-only");
    assertThat(raw.headers().firstValue("Content-Transfer-Encoding")).hasValue("base64");
    assertThat(EstWire.opensslCerts(raw.body())).contains("subject=CN = EMS Test Device CA");

    var attrs = wire.get("/.well-known/est/csrattrs", null);
    assertThat(attrs.headers().firstValue("Content-Type")).hasValue("application/csrattrs");
    assertThat(EstWire.opensslAsn1(attrs.body())).contains("ecdsa-with-SHA256", "prime256v1");
    assertThat(
            est(null)
                .getCSRAttributes()
                .getAttributesResponse()
                .hasRequirement(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256))
        .isTrue();
  }

  @Test
  void aDeviceEnrollsWithSerialAndTokenThenRenewsWithItsCertificateForANewKey() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "EST-" + device;
    String token = EstWire.inventory(jdbc, device, serial);
    KeyPair first = DeviceApiClient.keyPair();

    var enrolled =
        est(null)
            .simpleEnroll(
                false,
                csr(first, "CN=" + serial),
                new JcaHttpAuthBuilder(EstHandler.REALM, serial, token.toCharArray()).build());
    var certificate = single(enrolled.getStore());
    assertThat(certificate.getPublicKey()).isEqualTo(first.getPublic());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + device);
    assertThat(known(certificate)).isTrue();

    // simplereenroll over mutual TLS with the certificate just issued, for a new key
    var current = new TestPki.Issued(first, certificate);
    // cacerts asked with that certificate: its tenant's chain (issue 19); without one, none's
    assertThat(EstWire.opensslCerts(wire.get("/.well-known/est/cacerts", current).body()))
        .contains("subject=CN = EMS Test Tenant CA");
    KeyPair second = DeviceApiClient.keyPair();
    var renewed =
        est(current)
            .simpleEnroll(true, csr(second, certificate.getSubjectX500Principal().getName()), null);
    var next = single(renewed.getStore());
    assertThat(next.getPublicKey()).isEqualTo(second.getPublic());
    assertThat(next.getSerialNumber()).isNotEqualTo(certificate.getSerialNumber());
    assertThat(pki.lastRenewedCertificate.get()).isEqualTo(current.pem());
    assertThat(known(next)).isTrue();

    // and simpleenroll with the current certificate (no token) renews too; openssl reads it
    KeyPair third = DeviceApiClient.keyPair();
    var raw =
        wire.post(
            "/.well-known/est/simpleenroll",
            new TestPki.Issued(second, next),
            EstWire.base64Csr(csr(third, "CN=" + device)));
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("Content-Type").orElseThrow())
        .contains("smime-type=certs-only");
    assertThat(EstWire.opensslCerts(raw.body())).contains("subject=CN = " + device);
  }

  @Test
  void cacertsAskedWithSerialAndBootstrapTokenAnswersTheDevicesTenantsChain() throws Exception {
    // issue 19: an EST-only device behind a TLS proxy has no other way to its tenant's CA, which it
    // must present with its certificate and pin its headend to
    UUID device = UUID.randomUUID();
    String serial = "EST-" + device;
    String token = EstWire.inventory(jdbc, device, serial);

    var chain = wire.basicGet("/.well-known/est/cacerts", serial, token);
    assertThat(chain.statusCode()).as(chain.body()).isEqualTo(200);
    assertThat(chain.headers().firstValue("Content-Type").orElseThrow())
        .contains("smime-type=certs-only");
    assertThat(EstWire.opensslCerts(chain.body()))
        .contains("subject=CN = EMS Test Tenant CA", "subject=CN = EMS Test Device CA");
    // anonymous: the chain of no tenant
    assertThat(EstWire.opensslCerts(wire.get("/.well-known/est/cacerts", null).body()))
        .doesNotContain("EMS Test Tenant CA");

    // another serial's token, or a wrong one: refused as at enrollment, and no tenant is looked up
    pki.lastChainQuery.set(null);
    var wrong = wire.basicGet("/.well-known/est/cacerts", serial, token + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"code\":\"bootstrap-token-invalid\"");
    var otherSerial = wire.basicGet("/.well-known/est/cacerts", "EST-other", token);
    assertThat(otherSerial.statusCode()).isEqualTo(401);
    assertThat(pki.lastChainQuery.get()).isNull();

    // the token spent by enrollment still names the device (it may ask after enrolling)
    assertThat(
            wire.basic(
                    "/.well-known/est/simpleenroll",
                    serial,
                    token,
                    EstWire.base64Csr(csr(DeviceApiClient.keyPair(), "CN=" + serial)),
                    null)
                .statusCode())
        .isEqualTo(200);
    var after = wire.basicGet("/.well-known/est/cacerts", serial, token);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(EstWire.opensslCerts(after.body())).contains("subject=CN = EMS Test Tenant CA");
  }

  @Test
  void refusalsCarryTheirCodeAndIssueNothing() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "EST-" + device;
    String token = EstWire.inventory(jdbc, device, serial);
    int before = pki.issued.get();
    String csr = EstWire.base64Csr(csr(DeviceApiClient.keyPair(), "CN=x"));

    var none = wire.post("/.well-known/est/simpleenroll", null, csr);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"ems-est\"");
    assertThat(wire.post("/.well-known/est/simplereenroll", null, csr).statusCode()).isEqualTo(401);
    assertThat(wire.basic("/.well-known/est/simpleenroll", serial, "emsbt_wrong", csr, null).body())
        .contains("\"code\":\"bootstrap-token-invalid\"");
    var malformed =
        wire.basic("/.well-known/est/simpleenroll", serial, token, "bm90IGEgY3Ny", null);
    assertThat(malformed.statusCode()).isEqualTo(422);
    assertThat(malformed.body()).contains("\"code\":\"invalid-csr\"");
    var json = wire.basic("/.well-known/est/simpleenroll", serial, token, csr, "application/json");
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(pki.issued.get()).isEqualTo(before);

    ESTException wrongToken =
        catchEst(
            () ->
                est(null)
                    .simpleEnroll(
                        false,
                        csr(DeviceApiClient.keyPair(), "CN=x"),
                        new JcaHttpAuthBuilder(EstHandler.REALM, serial, "emsbt_x".toCharArray())
                            .build()));
    assertThat(wrongToken.getStatusCode()).isEqualTo(401);

    // the serial's budget (burst 6 here) runs out: 429, and still nothing issued
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      var r = wire.basic("/.well-known/est/simpleenroll", serial, "emsbt_wrong", csr, null);
      status = r.statusCode();
      assertThat(status).isIn(401, 429);
    }
    assertThat(status).isEqualTo(429);
    assertThat(pki.issued.get()).isEqualTo(before);
  }

  @Test
  void renewalRefusalsAreTheDevicesToSee() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "EST-" + device;
    String token = EstWire.inventory(jdbc, device, serial);
    KeyPair keys = DeviceApiClient.keyPair();
    var enrolled =
        est(null)
            .simpleEnroll(
                false,
                csr(keys, "CN=x"),
                new JcaHttpAuthBuilder(EstHandler.REALM, serial, token.toCharArray()).build());
    var current = new TestPki.Issued(keys, single(enrolled.getStore()));
    int before = pki.issued.get();

    // a re-enrollment naming another subject (another device) is refused by device-api
    var other =
        wire.post(
            "/.well-known/est/simplereenroll",
            current,
            EstWire.base64Csr(csr(DeviceApiClient.keyPair(), "CN=" + UUID.randomUUID())));
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("\"code\":\"invalid-csr\"");
    // pki-service's refusals (reused key, unknown certificate) reach the device with their code
    pki.renewalRefusal.set("key-reused");
    var reused =
        wire.post(
            "/.well-known/est/simplereenroll",
            current,
            EstWire.base64Csr(
                csr(keys, current.certificate().getSubjectX500Principal().getName())));
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.body()).contains("\"code\":\"key-reused\"");
    // a certificate of another CA never gets past the TLS handshake
    var foreign = TestPki.device(TestPki.ca("Some Other CA"), device.toString());
    assertThatThrownBy(
            () ->
                wire.post(
                    "/.well-known/est/simplereenroll",
                    foreign,
                    EstWire.base64Csr(csr(DeviceApiClient.keyPair(), "CN=x"))))
        .isInstanceOf(java.io.IOException.class);
    assertThat(pki.issued.get()).isEqualTo(before);
  }

  @Test
  void anExpiredCertificateCannotRenew() throws Exception {
    UUID device = UUID.randomUUID();
    KeyPair keys = DeviceApiClient.keyPair();
    var expired =
        new TestPki.Issued(
            keys,
            TestPki.certify(
                DEVICE_CA, keys.getPublic(), device.toString(), Instant.now().minusSeconds(5)));
    EstWire.announce(jdbc, device, expired, Instant.now().minusSeconds(5));

    // over TLS the handshake already refuses it; forwarded by a trusted proxy, device-api does
    var r =
        wire.forwarded(
            "/.well-known/est/simplereenroll",
            expired,
            EstWire.base64Csr(csr(DeviceApiClient.keyPair(), "CN=" + device)));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("\"code\":\"certificate-expired\"");
  }

  private boolean known(java.security.cert.X509Certificate c) throws Exception {
    return jdbc.sql("select count(*) from device_credential where fingerprint = ?")
            .param(new TestPki.Issued(null, c).fingerprint())
            .query(Long.class)
            .single()
        == 1;
  }

  private ESTService est(TestPki.Issued device) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server-ca", SERVER_CA.certificate());
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var builder =
        new JsseESTServiceBuilder(
            "localhost:" + port, (X509TrustManager) tmf.getTrustManagers()[0]);
    if (device != null) {
      builder.withKeyManager(TestPki.keyManager(device));
    }
    return builder.build();
  }

  static PKCS10CertificationRequest csr(KeyPair keys, String dn) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(
            new X500Name(dn.isEmpty() ? "CN=x" : dn), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
  }

  private static java.security.cert.X509Certificate single(
      org.bouncycastle.util.Store<X509CertificateHolder> store) throws Exception {
    X509CertificateHolder[] all = ESTService.storeToArray(store);
    assertThat(all).hasSize(1);
    return new JcaX509CertificateConverter().getCertificate(all[0]);
  }

  private interface EstCall {
    void run() throws Exception;
  }

  private static ESTException catchEst(EstCall call) {
    try {
      call.run();
    } catch (ESTException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected an ESTException", e);
    }
    throw new AssertionError("expected an ESTException");
  }
}
