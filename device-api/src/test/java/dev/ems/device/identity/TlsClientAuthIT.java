package dev.ems.device.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ems.device.DeviceApiClient;
import dev.ems.device.config.ConfigFetchITSupport;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * device-api terminating TLS itself ({@code server.ssl.*}, client-auth {@code want}): devices are
 * named by the certificate of the TLS session, no proxy header involved (docs/device-api-tls.md).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlsClientAuthIT {

  static final TestPki.Issued DEVICE_CA;
  static final TestPki.Issued SERVER_CA;
  static final TestPki.Issued SERVER;

  static {
    try {
      DEVICE_CA = TestPki.ca("EMS Test Device CA");
      SERVER_CA = TestPki.ca("EMS Test Server CA");
      SERVER = TestPki.server(SERVER_CA);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @LocalServerPort int port;

  @DynamicPropertySource
  static void tls(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("device-api-tls");
    dir.toFile().deleteOnExit();
    Path keyStore = TestPki.keyStore(dir, SERVER, SERVER_CA);
    Path trustStore = TestPki.trustStore(dir, "device-ca.p12", DEVICE_CA);
    String bundle = "spring.ssl.bundle.jks.devices.";
    registry.add(bundle + "keystore.location", () -> "file:" + keyStore);
    registry.add(bundle + "keystore.password", () -> new String(TestPki.PASSWORD));
    registry.add(bundle + "keystore.type", () -> "PKCS12");
    registry.add(bundle + "truststore.location", () -> "file:" + trustStore);
    registry.add(bundle + "truststore.password", () -> new String(TestPki.PASSWORD));
    registry.add(bundle + "truststore.type", () -> "PKCS12");
    registry.add("server.ssl.bundle", () -> "devices");
    registry.add("server.ssl.client-auth", () -> "want");
    // The test client connects from 127.0.0.1: trusting it as a proxy makes a forged header a
    // real threat, so the session-certificate test below shows the session is what counts.
    registry.add("device-api.trusted-proxies", () -> "127.0.0.1");
  }

  /**
   * The TLS engine device-api ships with is Netty's BoringSSL binding, which Netty picks by itself
   * when its library loads: half the CPU per handshake of JDK TLS (bench/tls.sh, docs/adr/0007
   * amendment 5). Dropping the dependency, or a platform without its library, would fall back to
   * JDK TLS silently; this says so.
   */
  @Test
  void theTlsEngineIsBoringSsl() {
    assertThat(OpenSsl.isAvailable())
        .as("netty-tcnative: %s", OpenSsl.unavailabilityCause())
        .isTrue();
    assertThat(OpenSsl.versionString()).contains("BoringSSL");
    assertThat(SslContext.defaultServerProvider()).isEqualTo(SslProvider.OPENSSL);
  }

  @Test
  void aDeviceIsNamedByItsTlsSessionCertificateAndGetsItsConfigThen304() throws Exception {
    UUID device = UUID.randomUUID();
    TestPki.Issued cert = enrolled(device);
    String sha = ConfigFetchITSupport.publish(device, 1, "over tls");
    var http = client(cert);

    await()
        .atMost(Duration.ofSeconds(60))
        // a handshake that waited for a core past the timeout is "not yet" on a loaded machine
        .ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class)
        .untilAsserted(
            () -> {
              var r = get(http);
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
              assertThat(r.body()).contains("over tls");
            });
    var notModified = get(http, "If-None-Match", "\"" + sha + "\"");
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
  }

  /**
   * Issue 19: a device certificate of a tenant's issuing CA, under the root device-api trusts, is
   * verified when the device presents that CA with it (the chain devices get at enrollment); alone,
   * the certificate does not lead to the trust store and fails the handshake.
   */
  @Test
  void aTenantCaCertificatePresentedWithItsIssuingCaNamesTheDevice() throws Exception {
    TestPki.Issued tenantCa = TestPki.intermediate(DEVICE_CA, "EMS Issuing CA tenant-a");
    UUID device = UUID.randomUUID();
    TestPki.Issued cert = TestPki.device(tenantCa, device.toString());
    ConfigFetchITSupport.announce(device, cert.fingerprint());
    String sha = ConfigFetchITSupport.publish(device, 1, "tenant ca");
    var withChain =
        HttpClient.newBuilder()
            .sslContext(TestPki.client(SERVER_CA, cert, tenantCa.certificate()))
            .build();

    await()
        .atMost(Duration.ofSeconds(60))
        // a handshake that waited for a core past the timeout is "not yet" on a loaded machine
        .ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class)
        .untilAsserted(
            () -> {
              var r = get(withChain);
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
            });
    assertThatThrownBy(() -> get(client(cert))).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aTlsConnectionWithoutAClientCertificateGetsTheUnauthenticatedProblem() throws Exception {
    var r = get(client(null));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("\"code\":\"unauthenticated\"");
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
    // Even announced as an EMS certificate, a chain that does not lead to the device CA never
    // reaches the application: with client-auth "want" the JDK TLS server under Netty accepts no
    // certificate at all, but answers one its trust store cannot verify with a fatal
    // certificate_unknown alert, so the client gets an SSLException instead of a response (not a
    // 401). The JDK's own key manager would not even offer this certificate, since the server
    // names the device CA as the acceptable issuer; TestPki presents it regardless. With TLS 1.3
    // the client may finish its side of the handshake before the alert arrives, and then sees the
    // closed connection as a plain IOException instead: either way no response is served.
    UUID device = UUID.randomUUID();
    TestPki.Issued foreign = TestPki.device(TestPki.ca("Some Other CA"), device.toString());
    ConfigFetchITSupport.announce(device, foreign.fingerprint());
    ConfigFetchITSupport.publish(device, 1, "never served");
    var http = client(foreign);

    assertThatThrownBy(() -> get(http)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aForgedCertificateHeaderDoesNotOverrideTheSessionCertificate() throws Exception {
    UUID device = UUID.randomUUID();
    UUID victim = UUID.randomUUID();
    TestPki.Issued cert = enrolled(device);
    TestPki.Issued victimCert = enrolled(victim);
    String sha = ConfigFetchITSupport.publish(device, 1, "mine");
    ConfigFetchITSupport.publish(victim, 1, "the victim's secrets");
    var http = client(cert);
    var victimHttp = client(victimCert);
    await()
        .atMost(Duration.ofSeconds(60))
        // a handshake that waited for a core past the timeout is "not yet" on a loaded machine
        .ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class)
        .untilAsserted(
            () -> {
              assertThat(get(http).statusCode()).isEqualTo(200);
              assertThat(get(victimHttp).statusCode()).isEqualTo(200);
            });

    var r =
        get(
            http,
            DeviceApiClient.CERT_HEADER,
            URLEncoder.encode(victimCert.pem(), StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
    assertThat(r.body()).contains("mine").doesNotContain("victim");
  }

  @Test
  void aRevokedCertificateIsRefusedOverTls() throws Exception {
    UUID device = UUID.randomUUID();
    TestPki.Issued cert = enrolled(device);
    ConfigFetchITSupport.publish(device, 1, "until revoked");
    var http = client(cert);
    await()
        .atMost(Duration.ofSeconds(60))
        // a handshake that waited for a core past the timeout is "not yet" on a loaded machine
        .ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class)
        .untilAsserted(() -> assertThat(get(http).statusCode()).isEqualTo(200));

    ConfigFetchITSupport.revoke(
        device,
        cert.certificate().getSerialNumber().toString(16),
        "CN=EMS Test Device CA",
        cert.fingerprint());

    await()
        .atMost(Duration.ofSeconds(60))
        // a handshake that waited for a core past the timeout is "not yet" on a loaded machine
        .ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class)
        .untilAsserted(
            () -> {
              var r = get(http);
              assertThat(r.statusCode()).isEqualTo(401);
              assertThat(r.headers().firstValue("Content-Type"))
                  .hasValue("application/problem+json");
              assertThat(r.body()).contains("\"code\":\"certificate-revoked\"");
            });
  }

  private static TestPki.Issued enrolled(UUID device) throws Exception {
    TestPki.Issued cert = TestPki.device(DEVICE_CA, device.toString());
    ConfigFetchITSupport.announce(device, cert.fingerprint());
    return cert;
  }

  private static HttpClient client(TestPki.Issued device) throws Exception {
    SSLContext context = TestPki.client(SERVER_CA, device);
    return HttpClient.newBuilder()
        .sslContext(context)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  private HttpResponse<String> get(HttpClient http, String... headers) throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/device/v1/config"))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
