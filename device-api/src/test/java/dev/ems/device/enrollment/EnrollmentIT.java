package dev.ems.device.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestEvents;
import dev.ems.platform.security.ApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EnrollmentIT {

  static StubPki pki;

  @DynamicPropertySource
  static void pki(DynamicPropertyRegistry registry) throws Exception {
    pki = new StubPki();
    registry.add("device-api.pki.url", pki::url);
    registry.add("device-api.pki.timeout", () -> "PT1S");
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @LocalServerPort int port;
  DeviceApiClient api;
  final JsonMapper json = new JsonMapper();

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @BeforeEach
  void client() {
    api = new DeviceApiClient(port);
    pki.mode.set("ok");
  }

  /** A device SC announced, with a token; returns the token once device-api knows it. */
  private String inventory(UUID device, String serial, Instant expiresAt) throws Exception {
    String token = "emsbt_" + UUID.randomUUID();
    inventory(device, serial, token, Instant.now(), expiresAt);
    return token;
  }

  /** A device SC announced with this token, issued then; returns once device-api knows it. */
  private void inventory(
      UUID device, String serial, String token, Instant issuedAt, Instant expiresAt)
      throws Exception {
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new DeviceCreated(device, serial, "ow", "n", Instant.now())));
    TestEvents.publish(Topics.SC_DEVICES, tokenIssued(device, serial, token, issuedAt, expiresAt));
    awaitKnown(serial, token);
  }

  private static EventEnvelope<BootstrapTokenIssued> tokenIssued(
      UUID device, String serial, String token, Instant issuedAt, Instant expiresAt) {
    return EventEnvelope.of(
        "/sc",
        "default",
        device.toString(),
        new BootstrapTokenIssued(device, serial, ApiKeys.hash(token), issuedAt, expiresAt));
  }

  /** Until device-api knows the serial with this token (the CSR check answers, not a 401). */
  private void awaitKnown(String serial, String token) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                api.post("/device/v1/enroll", null, body(serial, token, "x")).statusCode() != 401);
  }

  /**
   * A device's events are ordered (one partition per device): once a serial change published after
   * the replayed events is seen, the replayed ones have been processed too.
   */
  private void replayThenAwait(
      UUID device, String newSerial, String token, EventEnvelope<?>... replayed) throws Exception {
    for (EventEnvelope<?> event : replayed) {
      TestEvents.publish(Topics.SC_DEVICES, event);
    }
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new DeviceUpdated(device, newSerial, "ow", "n", null, List.of(), Instant.now())));
    awaitKnown(newSerial, token);
  }

  /** A config-signing chain of the tenant, as pki-service publishes it, once device-api has it. */
  private String signingChainOfDefault() throws Exception {
    var key = DeviceApiClient.keyPair();
    String keyId = dev.ems.common.signing.ConfigSignatures.kid(key.getPublic());
    TestEvents.publish(
        Topics.PKI_CONFIG_SIGNING,
        EventEnvelope.of(
            "/pki",
            "default",
            "default",
            new dev.ems.common.event.ConfigSigningCertificateIssued(
                "default",
                keyId,
                "0b",
                DeviceApiClient.selfSignedPem(key, "EMS config signing"),
                Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(90)))));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql("select count(*) from config_signing_chain where key_id = ?")
                        .param(keyId)
                        .query(Integer.class)
                        .single()
                    == 1);
    return keyId;
  }

  private static String body(String serial, String token, String csr) {
    return "{\"serial\":\""
        + serial
        + "\",\"bootstrapToken\":\""
        + token
        + "\",\"csr\":\""
        + csr.replace("\n", "\\n")
        + "\"}";
  }

  @Test
  void enrollsOnceWithTheTokenAndTheCertificateThenAuthenticatesTheDevice() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "E-" + device;
    String token = inventory(device, serial, Instant.now().plusSeconds(3600));
    String csr = DeviceApiClient.csrPem(DeviceApiClient.keyPair(), device.toString());
    String signingKey = signingChainOfDefault();

    var enrolled = api.post("/device/v1/enroll", null, body(serial, token, csr));
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    // issue 14.7: the chains that verify the device's bundles come with its certificate
    assertThat(enrolled.body()).contains("\"keyId\":\"" + signingKey + "\"");
    assertThat(pki.lastToken.get()).isEqualTo(token);
    var result = json.readTree(enrolled.body());
    assertThat(result.get("deviceId").asString()).isEqualTo(device.toString());
    assertThat(result.get("certificatePem").asString()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(result.get("caBundlePem").asString()).contains("BEGIN CERTIFICATE");

    int calls = pki.calls.get();
    var again = api.post("/device/v1/enroll", null, body(serial, token, csr));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json.readTree(again.body()).get("certificatePem").asString())
        .isEqualTo(result.get("certificatePem").asString());
    assertThat(pki.calls.get()).isEqualTo(calls);

    var otherCsr =
        api.post(
            "/device/v1/enroll",
            null,
            body(serial, token, DeviceApiClient.csrPem(DeviceApiClient.keyPair(), "y")));
    assertThat(otherCsr.statusCode()).isEqualTo(409);
    assertThat(otherCsr.body()).contains("bootstrap-token-used");

    var fetch = api.get("/device/v1/config", result.get("certificatePem").asString());
    assertThat(fetch.statusCode()).isEqualTo(404);
    assertThat(fetch.body()).contains("config-not-found");
  }

  @Test
  void aWrongSerialOrAnExpiredTokenIsRefused() throws Exception {
    UUID device = UUID.randomUUID();
    String token = inventory(device, "S-" + device, Instant.now().plusSeconds(3600));
    UUID old = UUID.randomUUID();
    String expired = inventory(old, "O-" + old, Instant.now().minusSeconds(10));
    String csr = DeviceApiClient.csrPem(DeviceApiClient.keyPair(), "d");

    var wrongSerial = api.post("/device/v1/enroll", null, body("OTHER-SERIAL", token, csr));
    var tooLate = api.post("/device/v1/enroll", null, body("O-" + old, expired, csr));

    assertThat(wrongSerial.statusCode()).isEqualTo(401);
    assertThat(wrongSerial.body()).contains("bootstrap-token-invalid");
    assertThat(tooLate.statusCode()).isEqualTo(401);
    assertThat(tooLate.body()).contains("bootstrap-token-expired");
  }

  @Test
  void pkiDownIsA503WithRetryAfterAndTheTokenStaysValid() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "D-" + device;
    String token = inventory(device, serial, Instant.now().plusSeconds(3600));
    String csr = DeviceApiClient.csrPem(DeviceApiClient.keyPair(), device.toString());
    pki.mode.set("down");

    var down = api.post("/device/v1/enroll", null, body(serial, token, csr));
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Retry-After")).isPresent();
    assertThat(down.body()).contains("service-unavailable");

    pki.mode.set("ok");
    assertThat(api.post("/device/v1/enroll", null, body(serial, token, csr)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aTokenThePkiRefusesIsARefusalAndConsumesNothing() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "T-" + device;
    String token = inventory(device, serial, Instant.now().plusSeconds(3600));
    String csr = DeviceApiClient.csrPem(DeviceApiClient.keyPair(), device.toString());
    pki.mode.set("refuse-token");

    var refused = api.post("/device/v1/enroll", null, body(serial, token, csr));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    assertThat(refused.body()).contains("bootstrap-token-invalid");

    pki.mode.set("ok");
    assertThat(api.post("/device/v1/enroll", null, body(serial, token, csr)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void thePkiRefusingOurServiceKeyIsOurs503NotTheDevicesFault() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "K-" + device;
    String token = inventory(device, serial, Instant.now().plusSeconds(3600));
    pki.mode.set("refuse-key");

    var refused =
        api.post(
            "/device/v1/enroll",
            null,
            body(serial, token, DeviceApiClient.csrPem(DeviceApiClient.keyPair(), "k")));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.body()).contains("service-unavailable");
  }

  @Test
  void aCsrThePkiRefusesIsPassedOnAndConsumesNothing() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "B-" + device;
    String token = inventory(device, serial, Instant.now().plusSeconds(3600));
    pki.mode.set("bad-csr");

    var refused =
        api.post(
            "/device/v1/enroll",
            null,
            body(serial, token, DeviceApiClient.csrPem(DeviceApiClient.keyPair(), "z")));
    var malformed = api.post("/device/v1/enroll", null, "{\"serial\":\"" + serial + "\"");
    var unknownField =
        api.post(
            "/device/v1/enroll",
            null,
            "{\"serial\":\"x\",\"bootstrapToken\":\"t\",\"csr\":\"c\",\"extra\":1}");

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("invalid-csr").contains("\"field\":\"csr\"");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(unknownField.body()).contains("\"field\":\"extra\"");
    pki.mode.set("ok");
    assertThat(
            api.post(
                    "/device/v1/enroll",
                    null,
                    body(serial, token, DeviceApiClient.csrPem(DeviceApiClient.keyPair(), "z")))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aRedeliveredTokenEventDoesNotReviveTheUsedToken() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "R-" + device;
    Instant issuedAt = Instant.now().minusSeconds(5);
    Instant expiresAt = Instant.now().plusSeconds(3600);
    String token = "emsbt_" + UUID.randomUUID();
    inventory(device, serial, token, issuedAt, expiresAt);
    String csr = DeviceApiClient.csrPem(DeviceApiClient.keyPair(), device.toString());
    assertThat(api.post("/device/v1/enroll", null, body(serial, token, csr)).statusCode())
        .isEqualTo(200);

    // the same event again: Kafka redelivers it, a replica replays it, another replica writes it
    String replaced = serial + "-rma";
    replayThenAwait(
        device, replaced, token, tokenIssued(device, serial, token, issuedAt, expiresAt));

    var reused =
        api.post(
            "/device/v1/enroll",
            null,
            body(replaced, token, DeviceApiClient.csrPem(DeviceApiClient.keyPair(), "thief")));
    assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
    assertThat(reused.body()).contains("bootstrap-token-used");
  }

  @Test
  void anOlderTokenReplayedAfterANewerOneStaysReplaced() throws Exception {
    UUID device = UUID.randomUUID();
    String serial = "N-" + device;
    Instant expiresAt = Instant.now().plusSeconds(3600);
    String older = inventory(device, serial, expiresAt);
    var olderEvent = tokenIssued(device, serial, older, Instant.now().minusSeconds(60), expiresAt);
    String newer = "emsbt_" + UUID.randomUUID();
    TestEvents.publish(
        Topics.SC_DEVICES, tokenIssued(device, serial, newer, Instant.now(), expiresAt));
    awaitKnown(serial, newer);

    String replaced = serial + "-rma";
    replayThenAwait(device, replaced, newer, olderEvent);

    String csr = DeviceApiClient.csrPem(DeviceApiClient.keyPair(), device.toString());
    var withOlder = api.post("/device/v1/enroll", null, body(replaced, older, csr));
    assertThat(withOlder.statusCode()).isEqualTo(401);
    assertThat(withOlder.body()).contains("bootstrap-token-invalid");
    assertThat(api.post("/device/v1/enroll", null, body(replaced, newer, csr)).statusCode())
        .isEqualTo(200);
  }
}
