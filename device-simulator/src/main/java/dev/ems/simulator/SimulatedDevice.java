package dev.ems.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One edge device as EMS sees it: it makes its own ECDSA P-256 key, enrolls with its serial,
 * bootstrap token and a CSR, then authenticates with the certificate it got — presented the way a
 * TLS-terminating proxy forwards it (URL-encoded PEM in a header; device-api trusts it from
 * configured proxy addresses only). Not thread-safe: one caller per device.
 */
public final class SimulatedDevice {

  /** What the device last fetched. */
  public record Config(int version, String etag, JsonNode bundle) {}

  private static final JsonMapper JSON = new JsonMapper();

  /**
   * Like a real device, give up on a request that gets no answer: the caller sees {@link
   * java.net.http.HttpTimeoutException} and retries on a new connection.
   */
  private static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final HttpClient http;
  private final String deviceApi;
  private final String serial;
  private final String certHeader;
  private final KeyPair keys;
  private String certificatePem;
  private String deviceId;
  private Config config;

  public SimulatedDevice(HttpClient http, String deviceApi, String serial, String certHeader)
      throws Exception {
    this.http = http;
    this.deviceApi = deviceApi;
    this.serial = serial;
    this.certHeader = certHeader;
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    this.keys = generator.generateKeyPair();
  }

  public String serial() {
    return serial;
  }

  public String deviceId() {
    return deviceId;
  }

  public Config config() {
    return config;
  }

  /** The certificate EMS issued to this device (PEM), or null before enrollment. */
  public String certificatePem() {
    return certificatePem;
  }

  /** Enrolls; returns the HTTP status (200 when enrolled). */
  public int enroll(String bootstrapToken) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("serial", serial, "bootstrapToken", bootstrapToken, "csr", csr()));
    var response = send(post("/device/v1/enroll", body, false));
    if (response.statusCode() == 200) {
      JsonNode result = JSON.readTree(response.body());
      certificatePem = result.get("certificatePem").asString();
      deviceId = result.get("deviceId").asString();
    }
    return response.statusCode();
  }

  /** Polls the configuration with the ETag it has; returns 200, 304 or an error status. */
  public int fetchConfig() throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(deviceApi + "/device/v1/config"))
            .timeout(REQUEST_TIMEOUT)
            .GET();
    authenticate(request);
    if (config != null) {
      request.header("If-None-Match", config.etag());
    }
    var response = send(request.build());
    if (response.statusCode() == 200) {
      JsonNode bundle = JSON.readTree(response.body());
      config =
          new Config(
              bundle.get("version").asInt(),
              response.headers().firstValue("ETag").orElseThrow(),
              bundle);
    }
    return response.statusCode();
  }

  /** Reports applying the fetched configuration (or failing to). */
  public int reportApply(boolean applied, String error) throws Exception {
    Map<String, Object> body =
        error == null
            ? Map.of(
                "version", config.version(),
                "sha256", config.bundle().get("sha256").asString(),
                "status", applied ? "APPLIED" : "FAILED")
            : Map.of(
                "version",
                config.version(),
                "sha256",
                config.bundle().get("sha256").asString(),
                "status",
                applied ? "APPLIED" : "FAILED",
                "error",
                error);
    return send(post("/device/v1/config-status", JSON.writeValueAsString(body), true)).statusCode();
  }

  /** Sends a heartbeat; returns the response (its body lists pending commands). */
  public HttpResponse<String> heartbeat(long uptimeSeconds, String mgmtTunnelState)
      throws Exception {
    Map<String, Object> tunnel =
        Map.of(
            "name", "ems-mgmt",
            "state", mgmtTunnelState,
            "bytesIn", uptimeSeconds * 1200,
            "bytesOut", uptimeSeconds * 900,
            "packetsIn", uptimeSeconds * 3,
            "packetsOut", uptimeSeconds * 2);
    Map<String, Object> body =
        Map.of(
            "sentAt",
            Instant.now().toString(),
            "uptimeSeconds",
            uptimeSeconds,
            "firmware",
            "OpenWrt 24.10.1",
            "tunnels",
            List.of(tunnel));
    return send(post("/device/v1/heartbeat", JSON.writeValueAsString(body), true));
  }

  private HttpRequest post(String path, String body, boolean authenticated) {
    var request =
        HttpRequest.newBuilder(URI.create(deviceApi + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authenticated) {
      authenticate(request);
    }
    return request.build();
  }

  private void authenticate(HttpRequest.Builder request) {
    if (certificatePem == null) {
      throw new IllegalStateException("device " + serial + " is not enrolled");
    }
    request.header(certHeader, URLEncoder.encode(certificatePem, StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String csr() throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    var csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + serial), keys.getPublic())
            .build(signer);
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr.getEncoded())
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
