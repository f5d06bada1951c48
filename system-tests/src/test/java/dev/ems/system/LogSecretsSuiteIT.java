package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.ems.embedded.RawHttp;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nothing secret reaches a log (issue 15): the zero-touch journey — a tenant and its first ADMIN
 * key, a device with a bootstrap token and a secret variable, a config request, enrollment with a
 * CSR, the config fetch (which carries the secret to the device), the apply report — runs against
 * the suite while everything it writes to stdout and stderr is captured, once with the readable
 * console lines and once with the JSON lines ({@code ./ems up} with {@code EMS_LOG_FORMAT=json}).
 * Neither contains a bootstrap token, an API key, a private key, the secret value or a certificate.
 */
class LogSecretsSuiteIT {

  private static final JsonMapper json = new JsonMapper();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static CapturedOutput output;
  private static Suite suite;

  @BeforeAll
  static void startSuite() throws Exception {
    // opened before the suite starts (when this class runs first): its start-up is checked too
    output = new CapturedOutput();
    suite = RunningSuite.get();
  }

  @AfterAll
  static void closeOutput() {
    output.close();
  }

  @Test
  void theZeroTouchJourneyLogsNoSecretInConsoleOrJsonFormat() throws Exception {
    int before = output.text().length();
    List<String> secrets = journey();
    String console = output.text().substring(before);
    assertThat(console).as("console lines with trace ids").containsPattern("\\[[0-9a-f]{32},");
    assertNoSecret(console, secrets);

    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    try {
      configure(logback, LogSecretsSuiteIT.class.getResource("/logback-json.xml"));
      int jsonStart = output.text().length();
      List<String> jsonSecrets = journey();
      // the second journey may log little at INFO (one-time work was done by the first): a line of
      // our own shows that the JSON format is what was captured
      LoggerFactory.getLogger(LogSecretsSuiteIT.class).info("JSON journey done");
      // the asynchronous appender flushes its queue when stopped
      logback.reset();
      String jsonLines = output.text().substring(jsonStart);
      assertThat(jsonLines)
          .as("JSON lines")
          .containsPattern("\"formattedMessage\": ?\"JSON journey done\"");
      assertNoSecret(jsonLines, jsonSecrets);
    } finally {
      configure(logback, LogSecretsSuiteIT.class.getResource("/logback-test.xml"));
    }
  }

  private static void assertNoSecret(String logged, List<String> secrets) {
    assertThat(logged).as("the suite's output while the journey ran").isNotEmpty();
    for (String secret : secrets) {
      assertThat(logged).as("logs").doesNotContain(secret);
    }
    assertThat(logged).as("logs").doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
  }

  private static void configure(LoggerContext logback, URL configuration) throws Exception {
    logback.reset();
    var configurator = new JoranConfigurator();
    configurator.setContext(logback);
    configurator.doConfigure(configuration);
  }

  /** The zero-touch journey; returns what it handled that must never be logged. */
  private static List<String> journey() throws Exception {
    List<String> secrets = new ArrayList<>();
    secrets.add(TestInfrastructure.ADMIN_KEY);
    secrets.add(TestInfrastructure.INTERNAL_API_KEY);
    String tenant = "logs-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        call(
                TestInfrastructure.ADMIN_KEY,
                "POST",
                "/api/v1/tenants",
                Map.of("name", "Tenant " + tenant, "id", tenant))
            .at("/adminKey/key")
            .asString();
    secrets.add(key);

    // the device in the system tenant, which has the templates its config is rendered from
    String admin = TestInfrastructure.ADMIN_KEY;
    String secretValue = "psk-" + UUID.randomUUID();
    secrets.add(secretValue);
    String serial = "LOGS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    JsonNode created =
        call(
            admin,
            "POST",
            "/api/v1/devices",
            Map.of(
                "serial",
                serial,
                "model",
                "ow-x86",
                "name",
                "branch-logs",
                "variables",
                Map.of("wifi_psk", Map.of("secret", secretValue))));
    String deviceId = created.get("id").asString();
    String token = created.get("bootstrapToken").asString();
    secrets.add(token);
    call(
        admin,
        "POST",
        "/api/v1/devices/" + deviceId + "/config-requests",
        Map.of("variables", Map.of()));

    var device =
        new SimulatedDevice(
            http, "http://127.0.0.1:" + suite.port("device-api"), serial, "X-SSL-Client-Cert");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> device.enroll(token) == 200);
    // the certificate's body (its longest base64 line), not only its PEM armour
    secrets.add(longestLine(device.certificatePem()));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> device.fetchConfig() == 200);
    assertThat(device.reportApply(true, null)).isEqualTo(202);
    assertThat(device.heartbeat(10, "ESTABLISHED").statusCode()).isEqualTo(200);
    // a config-signing key rotation: a new private key is made and sealed (it must not be logged),
    // and sc-service says so at INFO inside the consumer span that pki-service's event started,
    // a line this journey always writes whatever ran before it in this JVM
    int mark = output.text().length();
    var rotation =
        RawHttp.send(
            suite.port("pki-service"),
            "POST",
            "/api/v1/config-signing/rotations",
            "Bearer " + admin,
            null,
            null);
    assertThat(rotation.statusCode()).as(rotation.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> output.text().substring(mark).contains("rotates its config-signing key"));
    return secrets;
  }

  private static String longestLine(String pem) {
    String longest = "";
    for (String line : pem.split("\n")) {
      if (!line.startsWith("-----") && line.strip().length() > longest.length()) {
        longest = line.strip();
      }
    }
    assertThat(longest).as("certificate body").hasSizeGreaterThan(40);
    return longest;
  }

  private static JsonNode call(String key, String method, String path, Object body)
      throws Exception {
    return SuiteHttp.call(suite, key, method, path, body);
  }
}
