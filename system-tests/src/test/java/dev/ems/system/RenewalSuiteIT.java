package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
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
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18 against the real suite (device-api → pki-service): a device enrolls over EST with serial
 * and token, renews with its certificate for a new key (EST simplereenroll, then the JSON renew),
 * the old certificate keeps working until the new one is used, then is refused as superseded within
 * seconds, a reused key is refused by pki-service; EST's cacerts serves pki-service's chain, read
 * by openssl.
 */
class RenewalSuiteIT {

  private static final JsonMapper json = new JsonMapper();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static Suite suite;

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void aDeviceEnrollsOverEstRenewsForNewKeysAndTheOldCertificateIsRetired() throws Exception {
    String key = SuiteHttp.newTenant(suite, "renew");
    String serial = "RENEW-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode created = SuiteHttp.newDevice(suite, key, serial);
    var device = new SimulatedDevice(http, deviceApi(), serial, "X-SSL-Client-Cert");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> device.estEnroll(created.get("bootstrapToken").asString()) == 200);
    assertThat(device.heartbeat(10, "ESTABLISHED").statusCode()).isEqualTo(200);
    assertThat(device.renewalDue(Instant.now())).isFalse();
    // the EST-only device has its tenant's chain too (cacerts with serial and token, issue 19):
    // it stores it where its swanctl file pins the headend
    Path swanctl = java.nio.file.Files.createTempDirectory("swanctl");
    device.installSwanctlCredentials(swanctl);
    var factory = java.security.cert.CertificateFactory.getInstance("X.509");
    var tenantCa =
        (java.security.cert.X509Certificate)
            factory.generateCertificate(
                java.nio.file.Files.newInputStream(swanctl.resolve("x509ca/ems-tenant-ca.crt")));
    var issued =
        (java.security.cert.X509Certificate)
            factory.generateCertificate(
                new java.io.ByteArrayInputStream(
                    device.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    assertThat(tenantCa.getSubjectX500Principal()).isEqualTo(issued.getIssuerX500Principal());
    assertThat(tenantCa.getSubjectX500Principal().getName()).contains("OU=renew-");
    issued.verify(tenantCa.getPublicKey());
    assertThat(swanctl.resolve("x509ca/ems-root-ca.crt")).exists();

    // EST simplereenroll: a new certificate for a new key; the old one counts until the new one
    // is used, then it is superseded
    String first = device.certificatePem();
    assertThat(device.renew()).isEqualTo(200);
    String second = device.certificatePem();
    assertThat(second).isNotEqualTo(first);
    assertThat(get("/device/v1/config-signing-keys", first).statusCode()).isEqualTo(200);
    assertThat(device.heartbeat(20, "ESTABLISHED").statusCode()).isEqualTo(200);
    awaitRefused(first);

    // the JSON renew for the EMS agent, then a CSR for the key just certified: key-reused
    KeyPair third = keys();
    var renewed = renew(second, csrPem(third, "CN=" + serial));
    assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
    String thirdPem = json.readTree(renewed.body()).get("certificatePem").asString();
    assertThat(get("/device/v1/config-signing-keys", second).statusCode()).isEqualTo(200);
    assertThat(get("/device/v1/config-signing-keys", thirdPem).statusCode()).isEqualTo(200);
    awaitRefused(second);
    var reused = renew(thirdPem, csrPem(third, "CN=another " + serial));
    assertThat(reused.statusCode()).as(reused.body()).isEqualTo(422);
    assertThat(reused.body()).contains("\"code\":\"key-reused\"");
    assertThat(get("/device/v1/config-signing-keys", thirdPem).statusCode()).isEqualTo(200);
  }

  @Test
  void estCacertsServesPkiServicesChain() throws Exception {
    var response = get("/.well-known/est/cacerts", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .contains("smime-type=certs-only");
    Path b64 = Files.createTempFile("cacerts", ".b64");
    Path der = Files.createTempFile("cacerts", ".der");
    Files.writeString(b64, response.body());
    openssl("base64", "-d", "-in", b64.toString(), "-out", der.toString());
    String printed =
        openssl("pkcs7", "-inform", "DER", "-in", der.toString(), "-print_certs", "-noout");
    assertThat(printed).contains("EMS Issuing CA", "EMS Root CA");
  }

  private static void awaitRefused(String certificatePem) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              var r = get("/device/v1/config-signing-keys", certificatePem);
              assertThat(r.statusCode()).isEqualTo(401);
              assertThat(r.body()).contains("certificate-revoked");
            });
  }

  private static HttpResponse<String> renew(String certificatePem, String csrPem) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(deviceApi() + "/device/v1/renew"))
            .header("X-SSL-Client-Cert", URLEncoder.encode(certificatePem, StandardCharsets.UTF_8))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("csr", csrPem))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String certificatePem) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(deviceApi() + path)).GET();
    if (certificatePem != null) {
      b.header("X-SSL-Client-Cert", URLEncoder.encode(certificatePem, StandardCharsets.UTF_8));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String deviceApi() {
    return "http://127.0.0.1:" + suite.port("device-api");
  }

  private static KeyPair keys() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String csrPem(KeyPair keys, String subject) throws Exception {
    var csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr.getEncoded())
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }

  private static String openssl(String... args) throws Exception {
    var command = new java.util.ArrayList<>(java.util.List.of("openssl"));
    command.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
