package dev.ems.device.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.device.identity.TestPki;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;
import org.jscep.message.CertRep;
import org.jscep.message.PkcsPkiEnvelopeDecoder;
import org.jscep.message.PkcsPkiEnvelopeEncoder;
import org.jscep.message.PkcsReq;
import org.jscep.message.PkiMessageDecoder;
import org.jscep.message.PkiMessageEncoder;
import org.jscep.transaction.FailInfo;
import org.jscep.transaction.Nonce;
import org.jscep.transaction.PkiStatus;
import org.jscep.transaction.TransactionId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SCEP (RFC 8894) on device-api, driven by jscep (a JVM client nobody on this team wrote) and by
 * Debian's {@code scepclient}, against pki-service's internal API as {@link EstStubPki} plays it
 * (the real pki-service: {@code ScepSuiteIT}). Every refusal is a CertRep FAILURE with the RFC's
 * failInfo and nothing issued.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // a small batch, so the purge test spans several
    properties = "device-api.scep.purge-batch=5")
class ScepIT {

  static final TestPki.Issued DEVICE_CA;
  static EstStubPki pki;

  static {
    try {
      DEVICE_CA = TestPki.ca("EMS Test Device CA");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) throws Exception {
    pki = EstStubPki.serving(DEVICE_CA, registry);
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ScepTransactions transactions;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void capabilitiesAndTheRaAndCaCertificatesAreWhatTheRfcSays() throws Exception {
    var caps = http.send(get("/scep?operation=GetCACaps"), HttpResponse.BodyHandlers.ofString());
    assertThat(caps.statusCode()).isEqualTo(200);
    assertThat(caps.body().lines()).contains("POSTPKIOperation", "SHA-256", "AES", "SCEPStandard");

    var ca =
        http.send(
            get("/cgi-bin/pkiclient.exe?operation=GetCACert"),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ca.headers().firstValue("Content-Type")).hasValue("application/x-x509-ca-ra-cert");
    Path der = Files.createTempFile("scep-ca", ".der");
    der.toFile().deleteOnExit();
    Files.write(der, ca.body());
    assertThat(EstWire.openssl("pkcs7", "-inform", "DER", "-in", der.toString(), "-print_certs"))
        .contains("subject=CN = EMS SCEP RA", "subject=CN = EMS Test Device CA");

    var store = jscep().getCaCertificate();
    assertThat(store.getCertificates(null)).hasSize(2);
  }

  @Test
  void getCaCertWithATenantsCaIdAnswersThatCasChainBesideTheRaAndAnUnknownIdIsNotFound()
      throws Exception {
    // issue 19: RFC 8894 4.2.1's CA identifier (message) names the tenant's issuing CA by its id
    var ca =
        http.send(
            get("/scep?operation=GetCACert&message=" + EstStubPki.TENANT_CA_ID),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ca.statusCode()).isEqualTo(200);
    assertThat(ca.headers().firstValue("Content-Type")).hasValue("application/x-x509-ca-ra-cert");
    Path der = Files.createTempFile("scep-ca", ".der");
    der.toFile().deleteOnExit();
    Files.write(der, ca.body());
    assertThat(EstWire.openssl("pkcs7", "-inform", "DER", "-in", der.toString(), "-print_certs"))
        .contains(
            "subject=CN = EMS SCEP RA",
            "subject=CN = EMS Test Device CA",
            "subject=CN = EMS Test Tenant CA");
    // jscep sends its "profile" as that message
    assertThat(jscep().getCaCertificate(EstStubPki.TENANT_CA_ID).getCertificates(null)).hasSize(3);

    // an id no CA has, a malformed one, another tenant's guessed: the same 404, nothing else said
    for (String unknown :
        List.of("tenant-00000000-0000-4000-8000-000000000000", "issuing'--", "x".repeat(200))) {
      var refused =
          http.send(
              get(
                  "/scep?operation=GetCACert&message="
                      + java.net.URLEncoder.encode(
                          unknown, java.nio.charset.StandardCharsets.UTF_8)),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(unknown).isEqualTo(404);
      assertThat(refused.body())
          .contains("\"code\":\"ca-not-found\"")
          .doesNotContain("tenant-00000000")
          .doesNotContain("EMS Test Tenant CA");
    }
    // asked again, an unknown id is answered from memory: random ids do not each reach PKI
    int asked = pki.chainByIdQueries.get();
    http.send(
        get("/scep?operation=GetCACert&message=tenant-00000000-0000-4000-8000-000000000000"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pki.chainByIdQueries.get()).isEqualTo(asked);
  }

  @Test
  void jscepEnrollsWithTheBootstrapTokenAsChallengeAndPollsItsCertificate() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEP-" + deviceId;
    String token = EstWire.inventory(jdbc, deviceId, serial);
    var device = ScepWire.device(serial);

    EnrollmentResponse response =
        jscep()
            .enrol(
                device.selfSigned(),
                device.keys().getPrivate(),
                ScepWire.csr(device, "CN=" + serial, token));

    assertThat(response.isSuccess()).as("failInfo %s", failInfo(response)).isTrue();
    X509Certificate issued = issued(response);
    assertThat(issued.getPublicKey()).isEqualTo(device.keys().getPublic());
    assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("CN=" + deviceId);
    assertThat(tokenUsed(deviceId)).isTrue();

    // GetCertInitial for that transaction answers the same certificate
    EnrollmentResponse polled = poll(device, response.getTransactionId());
    assertThat(polled.isSuccess()).isTrue();
    assertThat(issued(polled)).isEqualTo(issued);
    // and nothing for a transaction that got nothing
    EnrollmentResponse unknown = poll(device, TransactionId.createTransactionId());
    assertThat(unknown.getFailInfo()).isEqualTo(FailInfo.badCertId);
  }

  @Test
  void debiansScepclientEnrollsAndOpensslReadsTheCertificate() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEPCLI-" + deviceId.toString().substring(0, 8);
    String token = EstWire.inventory(jdbc, deviceId, serial);
    String fingerprint = ScepWire.sha256(pki.scepRa.certificate());
    // each run in its own directory: scepclient keeps and reuses its key, CSR and certificate
    var wrong = ScepWire.scepclient(ScepWire.tempDir(), url(), serial, "emsbt_wrong", fingerprint);
    assertThat(wrong.exit()).as(wrong.output()).isNotZero();
    assertThat(wrong.output()).contains("failInfo: badRequest");
    assertThat(tokenUsed(deviceId)).isFalse();

    Path dir = ScepWire.tempDir();
    var run = ScepWire.scepclient(dir, url(), serial, token, fingerprint);
    assertThat(run.exit()).as(run.output()).isZero();
    String text =
        EstWire.openssl("x509", "-in", dir.resolve("device.pem").toString(), "-noout", "-subject");
    assertThat(text).contains("CN = " + deviceId);
    String key =
        EstWire.openssl(
            "pkey", "-in", dir.resolve("device.key").toString(), "-pubout", "-outform", "PEM");
    String certKey =
        EstWire.openssl("x509", "-in", dir.resolve("device.pem").toString(), "-noout", "-pubkey");
    assertThat(certKey.strip()).isEqualTo(key.strip());
    assertThat(tokenUsed(deviceId)).isTrue();
  }

  @Test
  void aWrongChallengeAUsedTokenAndAnotherDevicesCsrFailWithBadRequestAndIssueNothing()
      throws Exception {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    String tokenA = EstWire.inventory(jdbc, a, "SCEP-A-" + a);
    String tokenB = EstWire.inventory(jdbc, b, "SCEP-B-" + b);
    int before = pki.issued.get();

    var wrong = enrol("SCEP-A-" + a, "emsbt_" + UUID.randomUUID());
    var otherDevice = enrol("SCEP-B-" + b, tokenA);
    var noChallenge = enrol("SCEP-A-" + a, null);

    assertThat(wrong.getFailInfo()).isEqualTo(FailInfo.badRequest);
    assertThat(otherDevice.getFailInfo()).isEqualTo(FailInfo.badRequest);
    assertThat(noChallenge.getFailInfo()).isEqualTo(FailInfo.badRequest);
    assertThat(pki.issued.get()).isEqualTo(before);
    assertThat(tokenUsed(a)).isFalse();
    assertThat(tokenUsed(b)).isFalse();

    // A enrolls; its token used again for a new key is refused
    assertThat(enrol("SCEP-A-" + a, tokenA).isSuccess()).isTrue();
    var again = enrol("SCEP-A-" + a, tokenA);
    assertThat(again.getFailInfo()).isEqualTo(FailInfo.badRequest);
    assertThat(pki.issued.get()).isEqualTo(before + 1);
    // B's token was never spent by A's attempt
    assertThat(enrol("SCEP-B-" + b, tokenB).isSuccess()).isTrue();
  }

  @Test
  void aReplayedMessageAndABadSignatureFailAndIssueNothing() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEP-R-" + deviceId;
    String token = EstWire.inventory(jdbc, deviceId, serial);
    var device = ScepWire.device(serial);
    var csr = ScepWire.csr(device, "CN=" + serial, token);
    X509Certificate ra = pki.scepRa.certificate();
    var transaction = TransactionId.createTransactionId(device.keys().getPublic(), "SHA-256");
    var request = new PkcsReq(transaction, Nonce.nextNonce(), csr);
    int before = pki.issued.get();

    // signed by another key than the signer certificate's: badMessageCheck
    var stranger = ScepWire.device("stranger");
    byte[] forged =
        new PkiMessageEncoder(
                stranger.keys().getPrivate(),
                device.selfSigned(),
                new PkcsPkiEnvelopeEncoder(ra, "AES"))
            .encode(request)
            .getEncoded();
    assertThat(certRep(post(forged), device).getFailInfo()).isEqualTo(FailInfo.badMessageCheck);
    assertThat(pki.issued.get()).isEqualTo(before);

    byte[] genuine =
        new PkiMessageEncoder(
                device.keys().getPrivate(),
                device.selfSigned(),
                new PkcsPkiEnvelopeEncoder(ra, "AES"))
            .encode(new PkcsReq(transaction, Nonce.nextNonce(), csr))
            .getEncoded();
    CertRep first = certRep(post(genuine), device);
    assertThat(first.getPkiStatus()).isEqualTo(PkiStatus.SUCCESS);
    CertRep replayed = certRep(post(genuine), device);
    assertThat(replayed.getPkiStatus()).isEqualTo(PkiStatus.FAILURE);
    assertThat(replayed.getFailInfo()).isEqualTo(FailInfo.badRequest);
    assertThat(pki.issued.get()).isEqualTo(before + 1);

    // the same transaction ID for another key is not that key's transaction
    var other = ScepWire.device(serial);
    byte[] hijack =
        new PkiMessageEncoder(
                other.keys().getPrivate(),
                other.selfSigned(),
                new PkcsPkiEnvelopeEncoder(ra, "AES"))
            .encode(
                new PkcsReq(
                    transaction, Nonce.nextNonce(), ScepWire.csr(other, "CN=" + serial, token)))
            .getEncoded();
    assertThat(certRep(post(hijack), other).getFailInfo()).isEqualTo(FailInfo.badRequest);
    assertThat(pki.issued.get()).isEqualTo(before + 1);
  }

  @Test
  void aMessageSignedOutsideTheReplayWindowFailsWithBadTimeAndIssuesNothing() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEP-T-" + deviceId;
    String token = EstWire.inventory(jdbc, deviceId, serial);
    // its signer certificate valid at every signingTime below: the time alone is wrong
    var device = ScepWire.device(serial, Duration.ofDays(3), Duration.ofDays(3));
    var csr = ScepWire.csr(device, "CN=" + serial, token);
    int before = pki.issued.get();

    // the window is 24 hours: a message signed 25 hours ago (or ahead) could be a replay whose
    // nonce is purged
    for (Instant at :
        List.of(
            Instant.now().minus(Duration.ofHours(25)), Instant.now().plus(Duration.ofHours(25)))) {
      CertRep stale = certRep(post(signedAt(device, csr, at)), device);
      assertThat(stale.getPkiStatus()).isEqualTo(PkiStatus.FAILURE);
      assertThat(stale.getFailInfo()).isEqualTo(FailInfo.badTime);
    }
    assertThat(pki.issued.get()).isEqualTo(before);
    assertThat(tokenUsed(deviceId)).isFalse();

    // the same request signed now enrols
    assertThat(certRep(post(signedAt(device, csr, Instant.now())), device).getPkiStatus())
        .isEqualTo(PkiStatus.SUCCESS);
    assertThat(pki.issued.get()).isEqualTo(before + 1);
  }

  @Test
  void noncesSeenMoreThanTwiceTheReplayWindowAgoArePurgedInBatches() {
    Instant now = Instant.now();
    List<byte[]> expired = new ArrayList<>();
    List<byte[]> kept = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      expired.add(nonceSeen(now.minus(Duration.ofHours(49))));
    }
    kept.add(nonceSeen(now.minus(Duration.ofHours(47))));
    kept.add(nonceSeen(now));

    assertThat(transactions.purge(now)).isGreaterThanOrEqualTo(12);

    for (byte[] nonce : expired) {
      assertThat(nonceKnown(nonce)).isFalse();
    }
    for (byte[] nonce : kept) {
      assertThat(nonceKnown(nonce)).isTrue();
    }
    assertThat(transactions.purge(now)).isZero();
  }

  private byte[] nonceSeen(Instant at) {
    byte[] nonce = new byte[16];
    new java.security.SecureRandom().nextBytes(nonce);
    jdbc.sql("insert into scep_nonce (sender_nonce, seen_at) values (?, ?)")
        .params(nonce, java.sql.Timestamp.from(at))
        .update();
    return nonce;
  }

  private boolean nonceKnown(byte[] nonce) {
    return jdbc.sql("select count(*) from scep_nonce where sender_nonce = ?")
            .param(nonce)
            .query(Long.class)
            .single()
        == 1;
  }

  /** A PKCSReq as jscep makes it, but with the CMS signingTime {@code at}. */
  private byte[] signedAt(ScepWire.Device device, PKCS10CertificationRequest csr, Instant at)
      throws Exception {
    byte[] envelope =
        new PkcsPkiEnvelopeEncoder(pki.scepRa.certificate(), "AES")
            .encode(csr.getEncoded())
            .getEncoded();
    var attributes = new org.bouncycastle.asn1.ASN1EncodableVector();
    attributes.add(
        attribute(ScepMessage.MESSAGE_TYPE, new DERPrintableString(ScepMessage.PKCS_REQ)));
    attributes.add(
        attribute(
            ScepMessage.TRANSACTION_ID, new DERPrintableString(UUID.randomUUID().toString())));
    attributes.add(
        attribute(ScepMessage.SENDER_NONCE, new DEROctetString(Nonce.nextNonce().getBytes())));
    attributes.add(
        attribute(
            org.bouncycastle.asn1.cms.CMSAttributes.signingTime,
            new org.bouncycastle.asn1.cms.Time(java.util.Date.from(at))));
    var generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
    generator.addSignerInfoGenerator(
        new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build())
            .setSignedAttributeGenerator(
                new org.bouncycastle.cms.DefaultSignedAttributeTableGenerator(
                    new org.bouncycastle.asn1.cms.AttributeTable(attributes)))
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(device.keys().getPrivate()),
                device.selfSigned()));
    generator.addCertificate(
        new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(device.selfSigned()));
    return generator
        .generate(new org.bouncycastle.cms.CMSProcessableByteArray(envelope), true)
        .getEncoded();
  }

  private static org.bouncycastle.asn1.cms.Attribute attribute(
      org.bouncycastle.asn1.ASN1ObjectIdentifier type, org.bouncycastle.asn1.ASN1Encodable value) {
    return new org.bouncycastle.asn1.cms.Attribute(type, new org.bouncycastle.asn1.DERSet(value));
  }

  @Test
  void theDevicesRateLimitAppliesToItsSerial() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEP-L-" + deviceId;
    EstWire.inventory(jdbc, deviceId, serial);
    var device = ScepWire.device(serial);
    var envelope = new PkcsPkiEnvelopeEncoder(pki.scepRa.certificate(), "AES");
    var transaction = TransactionId.createTransactionId(device.keys().getPublic(), "SHA-256");
    var csr = ScepWire.csr(device, "CN=" + serial, "emsbt_guess");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      byte[] message =
          new PkiMessageEncoder(device.keys().getPrivate(), device.selfSigned(), envelope)
              .encode(new PkcsReq(transaction, Nonce.nextNonce(), csr))
              .getEncoded();
      statuses.add(post(message).statusCode());
    }
    // six guesses answered (FAILURE badRequest), the seventh refused before any check
    assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 200, 429);
  }

  @Test
  void anEcKeyFailsWithBadAlgBeforeAnythingIsIssued() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEP-EC-" + deviceId;
    String token = EstWire.inventory(jdbc, deviceId, serial);
    var ec = TestPki.device(DEVICE_CA, serial);
    var csr =
        new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=" + serial), ec.keys().getPublic())
            .addAttribute(
                PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERUTF8String(token))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.keys().getPrivate()));
    int before = pki.issued.get();
    byte[] message =
        new PkiMessageEncoder(
                ec.keys().getPrivate(),
                ec.certificate(),
                new PkcsPkiEnvelopeEncoder(pki.scepRa.certificate(), "AES"),
                "SHA256withECDSA")
            .encode(
                new PkcsReq(
                    TransactionId.createTransactionId(ec.keys().getPublic(), "SHA-256"),
                    Nonce.nextNonce(),
                    csr))
            .getEncoded();

    var answer = post(message);
    assertThat(answer.statusCode()).isEqualTo(200);
    var failure =
        (CertRep)
            new PkiMessageDecoder(pki.scepRa.certificate(), null)
                .decode(new CMSSignedData(answer.body()));
    assertThat(failure.getFailInfo()).isEqualTo(FailInfo.badAlg);
    // refused before PKI: the token is not spent on an answer the device could not open
    assertThat(pki.issued.get()).isEqualTo(before);
    assertThat(tokenUsed(deviceId)).isFalse();
  }

  @Test
  void pkiOperationByGetCarriesTheMessageInTheQuery() throws Exception {
    UUID deviceId = UUID.randomUUID();
    String serial = "SCEP-G-" + deviceId;
    EstWire.inventory(jdbc, deviceId, serial);
    var device = ScepWire.device(serial);
    byte[] message =
        new PkiMessageEncoder(
                device.keys().getPrivate(),
                device.selfSigned(),
                new PkcsPkiEnvelopeEncoder(pki.scepRa.certificate(), "AES"))
            .encode(
                new PkcsReq(
                    TransactionId.createTransactionId(device.keys().getPublic(), "SHA-256"),
                    Nonce.nextNonce(),
                    ScepWire.csr(device, "CN=" + serial, "emsbt_wrong")))
            .getEncoded();
    String query =
        java.net.URLEncoder.encode(
            java.util.Base64.getEncoder().encodeToString(message),
            java.nio.charset.StandardCharsets.US_ASCII);

    var answer =
        http.send(
            get("/scep?operation=PKIOperation&message=" + query),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(certRep(answer, device).getFailInfo()).isEqualTo(FailInfo.badRequest);
  }

  @Test
  void whatIsNotScepIsAProblem() throws Exception {
    var garbage = post("not a pkcs7".getBytes());
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new String(garbage.body())).contains("\"code\":\"malformed-request\"");

    var operation = http.send(get("/scep?operation=GetCRL"), HttpResponse.BodyHandlers.ofString());
    assertThat(operation.statusCode()).isEqualTo(400);
    assertThat(operation.body()).contains("\"code\":\"invalid-parameter\"");
  }

  /** jscep's PKCSReq for a new key, its CSR naming {@code serial} as CN. */
  private EnrollmentResponse enrol(String serial, String challenge) throws Exception {
    var device = ScepWire.device(serial);
    return jscep()
        .enrol(
            device.selfSigned(),
            device.keys().getPrivate(),
            ScepWire.csr(device, "CN=" + serial, challenge));
  }

  /** jscep's GetCertInitial for the transaction, signed with the device's key. */
  private EnrollmentResponse poll(ScepWire.Device device, TransactionId transaction)
      throws Exception {
    return jscep()
        .poll(
            device.selfSigned(),
            device.keys().getPrivate(),
            device.selfSigned().getSubjectX500Principal(),
            transaction);
  }

  private HttpResponse<byte[]> post(byte[] message) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url() + "?operation=PKIOperation"))
            .header("Content-Type", "application/x-pki-message")
            .POST(HttpRequest.BodyPublishers.ofByteArray(message))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private CertRep certRep(HttpResponse<byte[]> response, ScepWire.Device device) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-pki-message");
    var decoder =
        new PkiMessageDecoder(
            pki.scepRa.certificate(),
            new PkcsPkiEnvelopeDecoder(device.selfSigned(), device.keys().getPrivate()));
    return (CertRep) decoder.decode(new CMSSignedData(response.body()));
  }

  private Client jscep() throws Exception {
    return new Client(new URL(url()), new OptimisticCertificateVerifier());
  }

  private String url() {
    return "http://127.0.0.1:" + port + "/scep";
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
  }

  private boolean tokenUsed(UUID deviceId) {
    return jdbc.sql("select token_used_at is not null from device where id = ?")
        .param(deviceId)
        .query(Boolean.class)
        .single();
  }

  private static X509Certificate issued(EnrollmentResponse response) throws Exception {
    return (X509Certificate) response.getCertStore().getCertificates(null).iterator().next();
  }

  private static Object failInfo(EnrollmentResponse response) {
    return response.isFailure() ? response.getFailInfo() : null;
  }
}
