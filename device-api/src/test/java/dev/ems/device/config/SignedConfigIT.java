package dev.ems.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.Topics;
import dev.ems.common.signing.ConfigSignatures;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestEvents;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14.7: a signed version's detached JWS travels as {@code EMS-Config-Signature} on every 200
 * of the fetch, from the fast route and from WebFlux's handler alike, and a device gets its own
 * tenant's unexpired signing chains — current and rotated — at {@code
 * /device/v1/config-signing-keys}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignedConfigIT {

  static final Duration WAIT = Duration.ofSeconds(20);

  @LocalServerPort int port;
  @Autowired PublishedConfigs store;
  @Autowired JsonMapper json;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  DeviceApiClient api;

  @BeforeEach
  void client() {
    api = new DeviceApiClient(port);
  }

  @Test
  void theSignatureComesWithTheBundleFromTheFallbackAndTheFastRoute() throws Exception {
    UUID device = UUID.randomUUID();
    String cert = enrolled(device);
    KeyPair key = DeviceApiClient.keyPair();
    X509Certificate signer = certificate(key);
    List<ConfigFile> files = List.of(new ConfigFile("/etc/config/system", "hostname signed\n"));
    String signature = sign(files, key);
    // stored without an event: not in memory, so the first fetch is WebFlux's handler's
    store.storeIfNewer(
        new PublishedConfig(
            device,
            "default",
            1,
            ConfigSignatures.sha256(files),
            body(device, 1, files),
            signature),
        Instant.now());

    var fallback = api.get("/device/v1/config", cert);
    assertThat(fallback.statusCode()).isEqualTo(200);
    assertThat(fallback.headers().firstValue("EMS-Config-Signature")).hasValue(signature);
    // now in memory: the fast route answers
    var fast = api.get("/device/v1/config", cert);
    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(fast.headers().firstValue("EMS-Config-Signature")).hasValue(signature);
    assertThat(verify(fast.body(), signature, signer))
        .isEqualTo(ConfigSignatures.kid(key.getPublic()));

    // a newer signed version published as sc-service does
    List<ConfigFile> next = List.of(new ConfigFile("/etc/config/system", "hostname two\n"));
    String nextSignature = sign(next, key);
    TestEvents.publish(
        Topics.SC_CONFIGS,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new ConfigPublished(
                device,
                2,
                ConfigSignatures.sha256(next),
                next,
                null,
                Instant.now(),
                "test",
                nextSignature)));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var r = api.get("/device/v1/config", cert);
              assertThat(r.headers().firstValue("X-Config-Version")).hasValue("2");
              assertThat(r.headers().firstValue("EMS-Config-Signature")).hasValue(nextSignature);
            });
    // a 304 carries no body, so no signature
    var notModified =
        api.get(
            "/device/v1/config",
            cert,
            "If-None-Match",
            "\"" + ConfigSignatures.sha256(next) + "\"");
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().firstValue("EMS-Config-Signature")).isEmpty();
  }

  @Test
  void aDeviceGetsItsTenantsCurrentAndRotatedChainsAndNoOtherTenants() throws Exception {
    UUID device = UUID.randomUUID();
    String cert = enrolled(device);
    String old = announceChain("default", Instant.now().plus(Duration.ofDays(30)));
    String current = announceChain("default", Instant.now().plus(Duration.ofDays(90)));
    String expired = announceChain("default", Instant.now().minusSeconds(60));
    String foreign =
        announceChain("other-" + UUID.randomUUID(), Instant.now().plus(Duration.ofDays(90)));
    // the same partition as default's chains (keyed by tenant): once the marker is served the
    // expired one was processed; the other tenant's is awaited in the read model
    String marker = announceChain("default", Instant.now().plus(Duration.ofDays(91)));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(keyIds(api.get("/device/v1/config-signing-keys", cert)))
                    .contains(old, current, marker));
    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql("select count(*) from config_signing_chain where key_id = ?")
                        .param(foreign)
                        .query(Integer.class)
                        .single()
                    == 1);
    var response = api.get("/device/v1/config-signing-keys", cert);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(keyIds(response)).doesNotContain(expired, foreign);
    JsonNode first = json.readTree(response.body()).get("keys").get(0);
    assertThat(first.get("chainPem").asString()).startsWith("-----BEGIN CERTIFICATE-----");

    assertThat(api.get("/device/v1/config-signing-keys", null).statusCode()).isEqualTo(401);
  }

  /**
   * The device's certificate once device-api knows it: the events that announce it are consumed
   * asynchronously, so the first request waits for a 200 from an endpoint that touches no cache.
   */
  private String enrolled(UUID device) throws Exception {
    String cert = ConfigFetchITSupport.enrolledDevice(device);
    await()
        .atMost(WAIT)
        .until(() -> api.get("/device/v1/config-signing-keys", cert).statusCode() == 200);
    return cert;
  }

  private List<String> keyIds(java.net.http.HttpResponse<String> response) {
    List<String> ids = new ArrayList<>();
    json.readTree(response.body()).get("keys").forEach(k -> ids.add(k.get("keyId").asString()));
    return ids;
  }

  /** Publishes a chain as pki-service does; returns its key id. */
  private static String announceChain(String tenant, Instant notAfter) throws Exception {
    KeyPair key = DeviceApiClient.keyPair();
    String keyId = ConfigSignatures.kid(key.getPublic());
    TestEvents.publish(
        Topics.PKI_CONFIG_SIGNING,
        EventEnvelope.of(
            "/pki",
            tenant,
            tenant,
            new ConfigSigningCertificateIssued(
                tenant,
                keyId,
                "0a",
                DeviceApiClient.selfSignedPem(key, "EMS config signing"),
                Instant.now().minus(Duration.ofDays(1)),
                notAfter)));
    return keyId;
  }

  private String verify(String body, String signature, X509Certificate signer) throws Exception {
    List<ConfigFile> files = new ArrayList<>();
    json.readTree(body)
        .get("files")
        .forEach(
            f -> files.add(new ConfigFile(f.get("path").asString(), f.get("content").asString())));
    return ConfigSignatures.verify(files, signature, List.of(signer), Instant.now()).kid();
  }

  private static String sign(List<ConfigFile> files, KeyPair key) {
    return ConfigSignatures.sign(
        files, key.getPrivate(), ConfigSignatures.kid(key.getPublic()), null);
  }

  private static X509Certificate certificate(KeyPair key) throws Exception {
    return ConfigSignatures.parseChain(DeviceApiClient.selfSignedPem(key, "EMS config signing"))
        .getFirst();
  }

  private byte[] body(UUID device, int version, List<ConfigFile> files) {
    var body = new java.util.LinkedHashMap<String, Object>();
    body.put("deviceId", device);
    body.put("version", version);
    body.put("sha256", ConfigSignatures.sha256(files));
    body.put("files", files);
    return json.writeValueAsBytes(body);
  }
}
