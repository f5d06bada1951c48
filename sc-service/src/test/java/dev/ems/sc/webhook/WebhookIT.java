package dev.ems.sc.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.Topics;
import dev.ems.common.event.WebhookDisabled;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.sc.ScApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end: events on Kafka reach a real HTTP receiver, signed as Standard Webhooks says
 * (verified here with the JDK's HMAC, not EMS's code), retried after 500s, in order per device; a
 * target that keeps failing is disabled with an event.
 */
@SpringBootTest(
    properties = {
      "sc.webhooks.allowed-targets=127.0.0.1",
      "sc.webhooks.poll-interval=PT0.2S",
      "sc.webhooks.initial-backoff=PT0.3S",
      "sc.webhooks.max-backoff=PT1S",
      "sc.webhooks.disable-after=PT8S"
    })
@AutoConfigureMockMvc
class WebhookIT {

  static final String HEALTH = "dev.ems.HealthChanged";

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  ScApi api;
  Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    api = new ScApi(mvc, json);
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void signedDeliveriesArriveInOrderPerDeviceAfterRetriesAndCanBeRedelivered() throws Exception {
    JsonNode created = subscribe(receiver.url("/hook"), List.of(HEALTH));
    String id = created.get("id").asString();
    String secret = created.get("secret").asString();
    assertThat(secret).startsWith("whsec_");
    assertThat(api.get("/api/v1/webhooks/" + id).text()).doesNotContain(secret);
    assertThat(api.get("/api/v1/webhooks").text()).doesNotContain(secret);
    String sealed =
        jdbc.sql("select secret_sealed from webhook_subscription where id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
    assertThat(sealed).doesNotContain(secret.substring(6));

    String device = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      EventEnvelope<HealthChanged> event = health(device, i);
      if (i == 1) {
        receiver.fail("msg_" + event.id(), 2);
      }
      published.add("msg_" + event.id());
      TestEvents.publish(Topics.DIAG_HEALTH, event);
      TestEvents.publish(Topics.DIAG_HEALTH, health(other, i));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> delivered(device).size() == 5 && delivered(other).size() == 5);

    // the second message failed twice and the third waited for it: order per device kept
    List<String> arrivals = ofDevice(device).stream().map(Receiver.Request::id).toList();
    List<String> expected = new ArrayList<>(published);
    expected.add(1, published.get(1));
    expected.add(1, published.get(1));
    assertThat(arrivals).containsExactlyElementsOf(expected);
    assertThat(delivered(device)).containsExactlyElementsOf(published);

    for (Receiver.Request request : receiver.at("/hook")) {
      assertThat(request.signature()).isEqualTo(expectedSignature(secret, request));
      assertThat(Long.parseLong(request.timestamp()))
          .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(300L));
      JsonNode body = json.readTree(request.body());
      assertThat(body.get("type").asString()).isEqualTo(HEALTH);
      assertThat(body.at("/data/deviceId").asString()).isIn(device, other);
    }

    JsonNode log = api.get("/api/v1/webhooks/" + id + "/deliveries?limit=500").body();
    JsonNode retried = find(log, published.get(1));
    assertThat(retried.get("status").asString()).isEqualTo("DELIVERED");
    assertThat(retried.get("attempts").asInt()).isEqualTo(3);
    assertThat(retried.get("lastStatusCode").asInt()).isEqualTo(204);

    var again =
        api.call(
            HttpMethod.POST,
            "/api/v1/webhooks/" + id + "/deliveries/" + published.get(0) + "/redeliver",
            null,
            Map.of());
    assertThat(again.status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> delivered(device).stream().filter(published.get(0)::equals).count() == 2);
  }

  @Test
  void aTargetThatKeepsFailingIsDisabledWithAnEventThatOtherSubscriptionsReceive()
      throws Exception {
    String failing =
        subscribe(receiver.url("/always-failing"), List.of(HEALTH)).get("id").asString();
    subscribe(receiver.url("/watcher"), List.of("dev.ems.WebhookDisabled"));

    String device = UUID.randomUUID().toString();
    TestEvents.publish(Topics.DIAG_HEALTH, health(device, 0));

    var event =
        TestEvents.awaitEvent(
            Topics.SC_WEBHOOKS,
            WebhookDisabled.class,
            e -> e.payload().subscriptionId().toString().equals(failing),
            Duration.ofSeconds(90));
    assertThat(event.payload().reason()).isEqualTo("HTTP 500");
    assertThat(event.tenant()).isEqualTo(TestInfrastructure.BOOTSTRAP_TENANT);
    JsonNode disabled = api.get("/api/v1/webhooks/" + failing).body();
    assertThat(disabled.get("enabled").asBoolean()).isFalse();
    assertThat(receiver.at("/always-failing")).hasSizeGreaterThanOrEqualTo(2);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                receiver.at("/watcher").stream()
                    .anyMatch(r -> r.body().contains(failing) && r.answer() == 204));
  }

  @Test
  void internalTargetsAndUnknownTypesAreRefused() throws Exception {
    for (String url :
        List.of(
            "http://127.0.0.2/x",
            "http://10.1.2.3/x",
            "http://192.168.0.1/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/x",
            "http://[fd00::1]/x",
            "http://100.64.0.1/x",
            "http://0.0.0.0/x")) {
      var refused = api.post("/api/v1/webhooks", Map.of("url", url, "eventTypes", List.of(HEALTH)));
      assertThat(refused.status()).as(url).isEqualTo(422);
      assertThat(refused.body().get("code").asString()).isEqualTo("webhook-target-refused");
    }
    var ftp =
        api.post(
            "/api/v1/webhooks", Map.of("url", "ftp://example.com/", "eventTypes", List.of(HEALTH)));
    assertThat(ftp.body().get("code").asString()).isEqualTo("webhook-target-refused");
    var unknown =
        api.post(
            "/api/v1/webhooks",
            Map.of("url", "https://203.0.113.10/hook", "eventTypes", List.of("dev.ems.Nope")));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.body().get("code").asString()).isEqualTo("validation-failed");
    var ok =
        api.post(
            "/api/v1/webhooks",
            Map.of("url", "https://203.0.113.10/hook", "eventTypes", List.of(HEALTH)));
    assertThat(ok.status()).isEqualTo(201);
  }

  private JsonNode subscribe(String url, List<String> types) throws Exception {
    var created = api.post("/api/v1/webhooks", Map.of("url", url, "eventTypes", types));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.body();
  }

  private static EventEnvelope<HealthChanged> health(String device, int i) {
    return EventEnvelope.of(
        "/diagnostic-service/health",
        TestInfrastructure.BOOTSTRAP_TENANT,
        device,
        new HealthChanged(
            UUID.fromString(device), "WARNING", "OK", List.of("step " + i), Instant.now()));
  }

  private List<Receiver.Request> ofDevice(String device) {
    return receiver.at("/hook").stream().filter(r -> r.body().contains(device)).toList();
  }

  private List<String> delivered(String device) {
    return ofDevice(device).stream()
        .filter(r -> r.answer() == 204)
        .map(Receiver.Request::id)
        .toList();
  }

  private static JsonNode find(JsonNode log, String messageId) {
    for (JsonNode entry : log) {
      if (entry.get("messageId").asString().equals(messageId)) {
        return entry;
      }
    }
    throw new AssertionError("no delivery " + messageId + " in " + log);
  }

  /** The Standard Webhooks signature, computed independently of EMS's implementation. */
  private static String expectedSignature(String secret, Receiver.Request request)
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String signed = request.id() + "." + request.timestamp() + "." + request.body();
    return "v1,"
        + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }
}
