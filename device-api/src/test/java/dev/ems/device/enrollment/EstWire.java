package dev.ems.device.enrollment;

import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.device.identity.TestPki;
import dev.ems.embedded.TestEvents;
import dev.ems.platform.security.ApiKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The wire side of the EST and renewal tests: device-api's own TLS, raw HTTPS requests as a device
 * sends them, {@code openssl} reading what came back, and the inventory's events.
 */
final class EstWire {

  private final int port;
  private final TestPki.Issued serverCa;

  EstWire(int port, TestPki.Issued serverCa) {
    this.port = port;
    this.serverCa = serverCa;
  }

  /** device-api terminating TLS itself, client certificates wanted, 127.0.0.1 a trusted proxy. */
  static void tls(
      DynamicPropertyRegistry registry,
      TestPki.Issued server,
      TestPki.Issued serverCa,
      TestPki.Issued deviceCa)
      throws Exception {
    Path dir = Files.createTempDirectory("device-api-est");
    dir.toFile().deleteOnExit();
    Path keyStore = TestPki.keyStore(dir, server, serverCa);
    Path trustStore = TestPki.trustStore(dir, "device-ca.p12", deviceCa);
    String bundle = "spring.ssl.bundle.jks.devices.";
    registry.add(bundle + "keystore.location", () -> "file:" + keyStore);
    registry.add(bundle + "keystore.password", () -> new String(TestPki.PASSWORD));
    registry.add(bundle + "keystore.type", () -> "PKCS12");
    registry.add(bundle + "truststore.location", () -> "file:" + trustStore);
    registry.add(bundle + "truststore.password", () -> new String(TestPki.PASSWORD));
    registry.add(bundle + "truststore.type", () -> "PKCS12");
    registry.add("server.ssl.bundle", () -> "devices");
    registry.add("server.ssl.client-auth", () -> "want");
    registry.add("device-api.trusted-proxies", () -> "127.0.0.1");
  }

  HttpResponse<String> get(String path, TestPki.Issued device) throws Exception {
    return client(device).send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A base64 PKCS#10 POST over mutual TLS with the device's certificate (or none). */
  HttpResponse<String> post(String path, TestPki.Issued device, String body) throws Exception {
    return client(device)
        .send(
            request(path)
                .header("Content-Type", "application/pkcs10")
                .header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** With HTTP Basic serial:token; {@code contentType} null means application/pkcs10. */
  HttpResponse<String> basic(
      String path, String serial, String token, String body, String contentType) throws Exception {
    String credentials =
        Base64.getEncoder().encodeToString((serial + ":" + token).getBytes(StandardCharsets.UTF_8));
    return client(null)
        .send(
            request(path)
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", contentType == null ? "application/pkcs10" : contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with HTTP Basic serial:token. */
  HttpResponse<String> basicGet(String path, String serial, String token) throws Exception {
    String credentials =
        Base64.getEncoder().encodeToString((serial + ":" + token).getBytes(StandardCharsets.UTF_8));
    return client(null)
        .send(
            request(path).header("Authorization", "Basic " + credentials).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** As a trusted TLS proxy forwards it: no client certificate, the PEM in the header. */
  HttpResponse<String> forwarded(String path, TestPki.Issued device, String body) throws Exception {
    return client(null)
        .send(
            request(path)
                .header("Content-Type", "application/pkcs10")
                .header(
                    "X-SSL-Client-Cert", URLEncoder.encode(device.pem(), StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
  }

  private HttpClient client(TestPki.Issued device) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(TestPki.client(serverCa, device))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static String base64Csr(PKCS10CertificationRequest csr) throws Exception {
    return Base64.getMimeEncoder().encodeToString(csr.getEncoded());
  }

  /** What {@code openssl pkcs7 -print_certs} reads from a base64 certs-only answer. */
  static String opensslCerts(String base64) throws Exception {
    Path der = decoded(base64);
    return openssl("pkcs7", "-inform", "DER", "-in", der.toString(), "-print_certs", "-noout");
  }

  /** What {@code openssl asn1parse} reads from a base64 DER answer. */
  static String opensslAsn1(String base64) throws Exception {
    return openssl("asn1parse", "-inform", "DER", "-in", decoded(base64).toString());
  }

  private static Path decoded(String base64) throws Exception {
    Path b64 = Files.createTempFile("est", ".b64");
    Path der = Files.createTempFile("est", ".der");
    b64.toFile().deleteOnExit();
    der.toFile().deleteOnExit();
    Files.writeString(b64, base64);
    openssl("base64", "-d", "-in", b64.toString(), "-out", der.toString());
    return der;
  }

  static String openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** A device the inventory created with a token; returns the token once device-api knows it. */
  static String inventory(JdbcClient jdbc, UUID device, String serial) throws Exception {
    String token = "emsbt_" + UUID.randomUUID();
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new DeviceCreated(device, serial, "ow", "n", Instant.now())));
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new BootstrapTokenIssued(
                device,
                serial,
                ApiKeys.hash(token),
                Instant.now(),
                Instant.now().plusSeconds(3600))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql("select count(*) from device where id = ? and token_sha256 = ?")
                        .params(device, ApiKeys.hash(token))
                        .query(Long.class)
                        .single()
                    == 1);
    return token;
  }

  /** A device with this certificate, valid until {@code notAfter}, once device-api knows it. */
  static void announce(JdbcClient jdbc, UUID device, TestPki.Issued cert, Instant notAfter)
      throws Exception {
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new DeviceCreated(device, "SN-" + device, "m", "n", Instant.now())));
    TestEvents.publish(
        Topics.PKI_CERTIFICATES,
        EventEnvelope.of(
            "/pki",
            "default",
            device.toString(),
            new CertificateIssued(
                device,
                cert.certificate().getSerialNumber().toString(16),
                "CN=EMS Test Device CA",
                "CN=" + device,
                cert.fingerprint(),
                Instant.now().minusSeconds(60),
                notAfter)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql("select count(*) from device_credential where fingerprint = ?")
                        .param(cert.fingerprint())
                        .query(Long.class)
                        .single()
                    == 1);
  }
}
