package dev.ems.simulator;

import dev.ems.common.signing.ConfigSignatures;
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
import java.util.LinkedHashMap;
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
  private String deviceApi;
  private final String serial;
  private final String certHeader;
  private KeyPair keys;
  // the enrollment request, kept while its key pair is: asked again (a timeout whose enrollment did
  // complete), pki-service answers the same CSR with its certificate and refuses a new one on the
  // spent token, as with a real device that keeps its pending request (ECDSA signatures differ on
  // every signing)
  private org.bouncycastle.pkcs.PKCS10CertificationRequest enrollmentRequest;
  private KeyPair enrollmentRequestKeys;
  private String certificatePem;
  private String chainPem;
  private String deviceId;
  private Config config;
  private Config running;
  private final BundleVerifier verifier = new BundleVerifier();
  private String configSignature;
  private String lastRefusal;
  private String unacknowledgedReport;
  private final DeviceCommands commands = new DeviceCommands();

  public SimulatedDevice(HttpClient http, String deviceApi, String serial, String certHeader)
      throws Exception {
    this.http = http;
    this.deviceApi = deviceApi;
    this.serial = serial;
    this.certHeader = certHeader;
    this.keys = newKeys();
  }

  private static KeyPair newKeys() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** Talks to another device-api from now on (a load balancer moving it to another replica). */
  public void useDeviceApi(String deviceApi) {
    this.deviceApi = deviceApi;
  }

  /** The device-api this device talks to. */
  public String deviceApiUrl() {
    return deviceApi;
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

  /** The configuration the device runs: the last one it reported APPLIED (null before). */
  public Config running() {
    return running;
  }

  /** The sha256 of the bundle the device runs, sent in every heartbeat; null before the first. */
  public String runningSha() {
    return running == null ? null : running.bundle().get("sha256").asString();
  }

  /** The state of the ems-mgmt tunnel the running bundle gives towards {@code headend}. */
  public String managementTunnel(String headend) {
    return ManagementTunnel.state(running == null ? null : running.bundle(), headend);
  }

  /** The certificate EMS issued to this device (PEM), or null before enrollment. */
  public String certificatePem() {
    return certificatePem;
  }

  /** The CA chain enrollment returned with the certificate (issuing CA first), or null. */
  public String chainPem() {
    return chainPem;
  }

  /**
   * The device's private key as PKCS#8 PEM, for the device's own IKE daemon (it never leaves the
   * device: a real one keeps it where strongSwan reads it, {@code /etc/swanctl/private/}).
   */
  public String privateKeyPem() {
    String base64 =
        java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * Stores the certificate, key and CA chain it enrolled where its swanctl file expects them, under
   * {@code swanctlDir} ({@code /etc/swanctl} on a device; {@link SwanctlCredentials}).
   */
  public void installSwanctlCredentials(java.nio.file.Path swanctlDir) throws Exception {
    SwanctlCredentials.install(swanctlDir, certificatePem, privateKeyPem(), chainPem);
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
      chainPem = result.has("chainPem") ? result.get("chainPem").asString() : null;
      deviceId = result.get("deviceId").asString();
      trustSigningKeys(result);
    }
    return response.statusCode();
  }

  /**
   * Enrolls over EST (RFC 7030 {@code simpleenroll}, HTTP Basic serial:token, base64 PKCS#10);
   * returns the HTTP status (200 when enrolled). The device id is the certificate's CN.
   */
  public int estEnroll(String bootstrapToken) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((serial + ":" + bootstrapToken).getBytes(StandardCharsets.UTF_8));
    var response =
        send(
            HttpRequest.newBuilder(URI.create(deviceApi + "/.well-known/est/simpleenroll"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/pkcs10")
                .header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(EstCodec.base64(enrollmentRequest())))
                .build());
    if (response.statusCode() == 200) {
      certificatePem = EstCodec.firstCertificatePem(response.body());
      deviceId = commonName(EstCodec.parse(certificatePem).getSubjectX500Principal().getName());
      // EST answers only the certificate (RFC 7030 4.2.3): its tenant's chain comes from cacerts,
      // asked with the same serial and token (issue 19); the device stores it for its swanctl
      var chain =
          send(
              HttpRequest.newBuilder(URI.create(deviceApi + "/.well-known/est/cacerts"))
                  .timeout(REQUEST_TIMEOUT)
                  .header("Authorization", "Basic " + basic)
                  .GET()
                  .build());
      chainPem = chain.statusCode() == 200 ? EstCodec.certificatesPem(chain.body()) : null;
    }
    return response.statusCode();
  }

  /**
   * The CN of a subject ({@code CN=<device id>,O=<tenant>} since issue 19, {@code CN=<id>} before).
   */
  static String commonName(String subject) throws javax.naming.InvalidNameException {
    for (var rdn : new javax.naming.ldap.LdapName(subject).getRdns()) {
      if ("CN".equalsIgnoreCase(rdn.getType())) {
        return String.valueOf(rdn.getValue());
      }
    }
    throw new IllegalStateException("no CN in " + subject);
  }

  /** Whether two thirds of the current certificate's lifetime have passed (time to renew). */
  public boolean renewalDue(Instant now) throws Exception {
    if (certificatePem == null) {
      return false;
    }
    var certificate = EstCodec.parse(certificatePem);
    Instant from = certificate.getNotBefore().toInstant();
    Instant to = certificate.getNotAfter().toInstant();
    return !now.isBefore(
        from.plus(java.time.Duration.between(from, to).multipliedBy(2).dividedBy(3)));
  }

  /**
   * Renews through EST {@code simplereenroll} with the current certificate, for a new key. The
   * device keeps the old certificate and key until a request with the new ones succeeds; returns
   * the status of the re-enrollment (200 when renewed and the new certificate works).
   */
  public int renew() throws Exception {
    KeyPair next = newKeys();
    String subject = EstCodec.parse(certificatePem).getSubjectX500Principal().getName();
    var request =
        HttpRequest.newBuilder(URI.create(deviceApi + "/.well-known/est/simplereenroll"))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/pkcs10")
            .header("Content-Transfer-Encoding", "base64")
            .POST(HttpRequest.BodyPublishers.ofString(EstCodec.base64(request(next, subject))));
    authenticate(request);
    var response = send(request.build());
    if (response.statusCode() != 200) {
      return response.statusCode();
    }
    String renewed = EstCodec.firstCertificatePem(response.body());
    var probe =
        HttpRequest.newBuilder(URI.create(deviceApi + "/device/v1/config-signing-keys"))
            .timeout(REQUEST_TIMEOUT)
            .header(certHeader, URLEncoder.encode(renewed, StandardCharsets.UTF_8))
            .GET()
            .build();
    int probed = send(probe).statusCode();
    if (probed != 200) {
      // the new certificate does not work (yet): keep serving with the old one
      return probed;
    }
    certificatePem = renewed;
    keys = next;
    return 200;
  }

  /**
   * Polls the configuration with the ETag it has; returns 200, 304 or an error status. A report
   * device-api has not acknowledged yet is sent again first, as an agent does before it asks for
   * more.
   */
  public int fetchConfig() throws Exception {
    resendReport();
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
      configSignature = response.headers().firstValue(ConfigSignatures.HEADER).orElse(null);
    }
    return response.statusCode();
  }

  /**
   * Applies the fetched configuration as a device does: only if its signature verifies (issue
   * 14.7), else it reports FAILED with {@code signature: <reason>} and applies nothing. {@code
   * applyError} is a simulated failure of the apply itself (null: it works). Returns the report's
   * HTTP status.
   */
  public int apply(String applyError) throws Exception {
    String kid = ConfigSignatures.kidOf(configSignature);
    if (kid != null && !verifier.knows(kid)) {
      // a key from after enrollment (a rotation): fetch the tenant's current chains; if device-api
      // cannot answer now (429, 503, a timeout) nothing is judged: the next poll tries again
      int status = fetchSigningKeys();
      if (status != 200) {
        fetchAgainOnNextPoll();
        return status;
      }
    }
    lastRefusal = verifier.check(config.bundle(), configSignature);
    if (lastRefusal != null) {
      if (!verifier.knows(kid)) {
        // a key whose chain pki-service has not published yet (a tenant's first bundle): the next
        // poll fetches the bundle again instead of a 304, and verifies it again
        fetchAgainOnNextPoll();
      }
      return reportApply(false, lastRefusal);
    }
    return reportApply(applyError == null, applyError);
  }

  /** Forgets the bundle's ETag, so that the next poll gets the bundle again instead of a 304. */
  private void fetchAgainOnNextPoll() {
    config = new Config(config.version(), "\"unverified\"", config.bundle());
  }

  /** Why the last {@link #apply} refused the bundle, or null when its signature verified. */
  public String lastRefusal() {
    return lastRefusal;
  }

  /** Fetches the tenant's current signing chains; returns the status (0: no answer). */
  private int fetchSigningKeys() {
    var request =
        HttpRequest.newBuilder(URI.create(deviceApi + "/device/v1/config-signing-keys"))
            .timeout(REQUEST_TIMEOUT)
            .GET();
    authenticate(request);
    try {
      var response = send(request.build());
      if (response.statusCode() == 200) {
        verifier.addChains(JSON.readTree(response.body()).get("keys"));
      }
      return response.statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      return 0;
    }
  }

  private void trustSigningKeys(JsonNode enrollment) {
    JsonNode caBundle = enrollment.get("caBundlePem");
    if (caBundle != null && !caBundle.isNull()) {
      verifier.trust(caBundle.asString());
    }
    verifier.addChains(enrollment.get("configSigningKeys"));
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
    nowRunning(applied);
    unacknowledgedReport = JSON.writeValueAsString(body);
    return deliverReport();
  }

  /**
   * Sends again the last apply report if device-api did not acknowledge it (the request timed out,
   * failed or was answered 5xx or 429): the device runs the bundle either way and its next poll
   * gets a 304, so without this a lost report would leave EMS waiting for it for good. Returns the
   * status, or 0 when no report was pending.
   */
  public int resendReport() throws Exception {
    return unacknowledgedReport == null ? 0 : deliverReport();
  }

  private int deliverReport() throws Exception {
    int status = send(post("/device/v1/config-status", unacknowledgedReport, true)).statusCode();
    if (status < 500 && status != 429) {
      // acknowledged, or refused for good (a 4xx): sending it again would not change that
      unacknowledgedReport = null;
    }
    return status;
  }

  /** An applied configuration is the one the device runs; after a failure it keeps the old one. */
  private void nowRunning(boolean applied) {
    if (applied) {
      running = config;
    }
  }

  /**
   * Sends a heartbeat naming the bundle the device runs ({@code configSha256}, left out before it
   * runs one); returns the response (its body lists pending commands).
   */
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sentAt", Instant.now().toString());
    body.put("uptimeSeconds", uptimeSeconds);
    body.put("firmware", "OpenWrt 24.10.1");
    body.put("tunnels", List.of(tunnel));
    if (runningSha() != null) {
      body.put("configSha256", runningSha());
    }
    commands.sendResults(this::sendResult);
    List<String> acknowledging = commands.toAcknowledge();
    if (!acknowledging.isEmpty()) {
      body.put("acknowledgedCommands", acknowledging);
    }
    var response = send(post("/device/v1/heartbeat", JSON.writeValueAsString(body), true));
    if (response.statusCode() == 200) {
      commands.onHeartbeatResponse(acknowledging, JSON.readTree(response.body()));
      commands.sendResults(this::sendResult);
    }
    return response;
  }

  /** Runs a command (simulated: it succeeds) by posting its check result; returns the status. */
  private int sendResult(String commandId) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("commandId", commandId, "status", "SUCCEEDED", "output", "simulated " + serial));
    return send(post("/device/v1/check-results", body, true)).statusCode();
  }

  /** Command ids this device ran, each once however often it was handed out. */
  public java.util.Set<String> executedCommands() {
    return commands.executed();
  }

  /** Command ids whose check result device-api accepted from this device. */
  public java.util.Set<String> commandResultsAccepted() {
    return commands.resultsAccepted();
  }

  /** How often a command this device already ran was handed out again (not yet acknowledged). */
  public int commandsHandedOutAgain() {
    return commands.handedOutAgain();
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

  private static org.bouncycastle.pkcs.PKCS10CertificationRequest request(
      KeyPair keys, String subject) throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
        .build(signer);
  }

  private org.bouncycastle.pkcs.PKCS10CertificationRequest enrollmentRequest() throws Exception {
    if (enrollmentRequest == null || enrollmentRequestKeys != keys) {
      enrollmentRequest = request(keys, "CN=" + serial);
      enrollmentRequestKeys = keys;
    }
    return enrollmentRequest;
  }

  private String csr() throws Exception {
    var csr = enrollmentRequest();
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr.getEncoded())
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
