package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;
import org.jscep.transaction.FailInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18's SCEP against the real suite: device-api answers with the RA pki-service issued (and
 * keeps sealed), devices enroll with jscep and with Debian's {@code scepclient} on their bootstrap
 * tokens, pki-service issues, and the certificate then authenticates the device at device-api.
 */
class ScepSuiteIT {

  private static final HttpClient http = HttpClient.newHttpClient();
  private static Suite suite;
  private static String operatorKey;

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
    operatorKey = SuiteHttp.newTenant(suite, "scep");
  }

  @Test
  void jscepEnrollsOnTheBootstrapTokenWithPkiServicesRaAndTheCertificateWorks() throws Exception {
    String serial = "SCEP-J-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode device = device(serial);
    String deviceId = device.get("id").asString();
    Client client = new Client(URI.create(scepUrl()).toURL(), new OptimisticCertificateVerifier());
    var ra =
        caCertificates(client).getCertificates(null).stream()
            .map(X509Certificate.class::cast)
            .filter(c -> c.getSubjectX500Principal().getName().equals("CN=EMS SCEP RA"))
            .findFirst()
            .orElseThrow();
    assertThat(ra.getIssuerX500Principal().getName()).contains("EMS Issuing CA");

    KeyPair keys = rsa();
    X509Certificate self = selfSigned(keys, serial);
    EnrollmentResponse wrong =
        busyAgain(
            () ->
                client.enrol(
                    self, keys.getPrivate(), csr(keys, serial, "emsbt_" + UUID.randomUUID())));
    assertThat(wrong.getFailInfo()).isEqualTo(FailInfo.badRequest);

    EnrollmentResponse enrolled =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptionsInstanceOf(org.jscep.client.ClientException.class)
            .until(
                () ->
                    client.enrol(
                        self,
                        keys.getPrivate(),
                        csr(keys, serial, device.get("bootstrapToken").asString())),
                EnrollmentResponse::isSuccess);
    X509Certificate issued =
        (X509Certificate) enrolled.getCertStore().getCertificates(null).iterator().next();
    assertThat(issued.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(issued.getSubjectX500Principal().getName()).contains("CN=" + deviceId);
    // issued by the device's tenant's own issuing CA (issue 19), a sibling under EMS's root of
    // the shared CA that certifies the RA (GetCACert names no tenant)
    assertThat(issued.getIssuerX500Principal().getName())
        .startsWith("CN=EMS Issuing CA,OU=")
        .isNotEqualTo(ra.getIssuerX500Principal().getName());
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(issued.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(
                                        URI.create(deviceApi() + "/device/v1/config-signing-keys"))
                                    .header(
                                        "X-SSL-Client-Cert",
                                        URLEncoder.encode(pem, StandardCharsets.UTF_8))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200));

    // the token is spent: a new key on it fails
    KeyPair other = rsa();
    EnrollmentResponse reused =
        client.enrol(
            selfSigned(other, serial),
            other.getPrivate(),
            csr(other, serial, device.get("bootstrapToken").asString()));
    assertThat(reused.getFailInfo()).isEqualTo(FailInfo.badRequest);
  }

  @Test
  void debiansScepclientEnrollsAndOpensslReadsTheCertificate() throws Exception {
    String serial = "SCEP-C-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode device = device(serial);
    var raCertificate =
        caCertificates(
                new Client(URI.create(scepUrl()).toURL(), new OptimisticCertificateVerifier()))
            .getCertificates(null)
            .stream()
            .map(X509Certificate.class::cast)
            .filter(c -> c.getSubjectX500Principal().getName().equals("CN=EMS SCEP RA"))
            .findFirst()
            .orElseThrow();
    String fingerprint =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(raCertificate.getEncoded()));
    Path dir = Files.createTempDirectory("scepclient");
    Process process =
        new ProcessBuilder(
                List.of(
                    "scepclient",
                    "-server-url",
                    scepUrl(),
                    "-private-key",
                    dir.resolve("key.pem").toString(),
                    "-certificate",
                    dir.resolve("cert.pem").toString(),
                    "-cn",
                    serial,
                    "-challenge",
                    device.get("bootstrapToken").asString(),
                    "-ca-fingerprint",
                    fingerprint))
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();

    Process openssl =
        new ProcessBuilder(
                "openssl",
                "x509",
                "-in",
                dir.resolve("cert.pem").toString(),
                "-noout",
                "-subject",
                "-issuer")
            .redirectErrorStream(true)
            .start();
    String printed = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor()).isZero();
    assertThat(printed).contains(device.get("id").asString(), "EMS Issuing CA");
  }

  @Test
  void getCaCertWithTheTenantsCaIdAnswersItsChainAndScepclientEnrollsWithIt() throws Exception {
    // issue 19: the operator reads its tenant CA's id (the last segment of its CRL URL) and gives
    // it to its gear as GetCACert's message (RFC 8894 4.2.1's CA identifier)
    var cas =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + suite.port("pki-service")
                                        + "/api/v1/cas"))
                            .header("Authorization", "Bearer " + operatorKey)
                            .build(),
                        HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 200);
    JsonNode tenantCa = null;
    for (JsonNode ca : new tools.jackson.databind.json.JsonMapper().readTree(cas.body())) {
      if ("tenant".equals(ca.get("id").asString())) {
        tenantCa = ca;
      }
    }
    assertThat(tenantCa).as(cas.body()).isNotNull();
    String caId = tenantCa.get("caId").asString();
    assertThat(caId).startsWith("tenant-");
    String tenantCaSubject = tenantCa.get("subjectDn").asString();

    // jscep sends its profile as the message: RA, the shared CA that certifies it, the tenant's CA
    // and the root
    var store =
        busyAgain(
            () ->
                new Client(URI.create(scepUrl()).toURL(), new OptimisticCertificateVerifier())
                    .getCaCertificate(caId));
    assertThat(
            store.getCertificates(null).stream()
                .map(c -> ((X509Certificate) c).getSubjectX500Principal().getName())
                .toList())
        .contains("CN=EMS SCEP RA", tenantCaSubject);
    // an id no CA has: 404 ca-not-found, whatever it is; no certificate
    var unknown =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        scepUrl() + "?operation=GetCACert&message=tenant-" + UUID.randomUUID()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"code\":\"ca-not-found\"");

    // Debian's scepclient with -cacert-message enrolls; its certificate is of that CA
    String serial = "SCEP-M-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode device = device(serial);
    X509Certificate ra =
        store.getCertificates(null).stream()
            .map(X509Certificate.class::cast)
            .filter(c -> c.getSubjectX500Principal().getName().equals("CN=EMS SCEP RA"))
            .findFirst()
            .orElseThrow();
    String fingerprint =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ra.getEncoded()));
    Path dir = Files.createTempDirectory("scepclient");
    Process process =
        new ProcessBuilder(
                List.of(
                    "scepclient",
                    "-server-url",
                    scepUrl(),
                    "-private-key",
                    dir.resolve("key.pem").toString(),
                    "-certificate",
                    dir.resolve("cert.pem").toString(),
                    "-cn",
                    serial,
                    "-challenge",
                    device.get("bootstrapToken").asString(),
                    "-ca-fingerprint",
                    fingerprint,
                    "-cacert-message",
                    caId))
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    Process openssl =
        new ProcessBuilder(
                "openssl", "x509", "-in", dir.resolve("cert.pem").toString(), "-noout", "-issuer")
            .redirectErrorStream(true)
            .start();
    String issuer = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor()).isZero();
    assertThat(issuer).contains("OU = " + tenantCaSubject.replaceAll(".*OU=([^,]+).*", "$1"));
  }

  private static JsonNode device(String serial) {
    return SuiteHttp.newDevice(suite, operatorKey, serial);
  }

  private static KeyPair rsa() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  /** SCEP's requester certificate (RFC 8894 2.3): self-signed, the CSR's subject and key. */
  private static X509Certificate selfSigned(KeyPair keys, String serial) throws Exception {
    var name = new X500Name("CN=" + serial);
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.ONE,
                    Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plusSeconds(3600)),
                    name,
                    keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
  }

  private static org.bouncycastle.pkcs.PKCS10CertificationRequest csr(
      KeyPair keys, String serial, String challenge) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + serial), keys.getPublic())
        .addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERUTF8String(challenge))
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
  }

  private static String scepUrl() {
    return deviceApi() + "/scep";
  }

  private static String deviceApi() {
    return "http://127.0.0.1:" + suite.port("device-api");
  }

  /** GetCACert, asked again while pki-service answers 503 (busy, Retry-After), as a client does. */
  private static java.security.cert.CertStore caCertificates(Client client) {
    return busyAgain(client::getCaCertificate);
  }

  private static <T> T busyAgain(java.util.concurrent.Callable<T> call) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptionsInstanceOf(org.jscep.client.ClientException.class)
        .until(call, java.util.Objects::nonNull);
  }
}
