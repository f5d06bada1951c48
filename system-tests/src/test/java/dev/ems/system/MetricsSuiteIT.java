package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.ems.launcher.Suite;
import dev.ems.simulator.SimulatedDevice;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /actuator/prometheus} of every service of the running suite (issue 15): who may scrape,
 * the metrics ops rely on after some traffic, and {@code promtool check metrics} on each scrape.
 * promtool (Debian package {@code prometheus}) must be installed: {@code .ci/run} installs it.
 */
class MetricsSuiteIT {

  private static final String SCRAPE = "Bearer " + RunningSuite.SCRAPE_TOKEN;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper json = new JsonMapper();
  private static Suite suite;

  /** promtool's exit code when the exposition parses but lint rules have findings. */
  private static final int PROMTOOL_LINT_ONLY = 3;

  /** The metrics each service must show after the traffic below (Prometheus names). */
  private static final Map<String, List<String>> EXPECTED =
      Map.of(
          "sc-service",
          List.of(
              "ems_config_pipeline_seconds_bucket{",
              "http_server_requests_seconds_count{",
              "uri=\"/api/v1/devices/{deviceId}/config-requests\"",
              "ems_outbox_pending{",
              "ems_outbox_oldest_age_seconds{",
              "ems_outbox_set_aside{",
              "ems_kafka_dead_letters{",
              "kafka_consumer_fetch_manager_records_lag_max{"),
          "tw-service",
          List.of("ems_outbox_pending{", "http_server_requests_seconds_count{"),
          "diagnostic-service",
          List.of(
              "ems_devices_health{",
              "level=\"CRITICAL\"",
              "ems_devices_connectivity{",
              "diag_heartbeats_received_total{"),
          "pki-service",
          List.of(
              "ems_pki_certificates_issued_total{",
              "ems_pki_certificates_revoked_total{",
              "ems_pki_certificates_expiring{"),
          "device-api",
          List.of(
              "cache_size{",
              "cache=\"device.config\"",
              "cache=\"device.fingerprints\"",
              "cache=\"device.rate-limit\"",
              "cache_gets_total{",
              "ems_device_config_fetches_total{",
              "ems_device_config_fetch_time_seconds_count{"));

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void onlyTheScrapeTokenOrASystemAdminReadsTheScrape() throws Exception {
    var issued =
        SuiteHttp.send(
            suite,
            "POST",
            "sc-service",
            "/api/v1/api-keys",
            "{\"name\":\"metrics-viewer\",\"role\":\"VIEWER\"}");
    assertThat(issued.statusCode()).isEqualTo(201);
    String viewer = "Bearer " + json.readTree(issued.body()).get("key").asString();

    for (Suite.Service service : Suite.SERVICES) {
      String name = service.name();
      assertThat(scrape(name, "/actuator/prometheus", SCRAPE).statusCode())
          .as(name + " with the scrape token")
          .isEqualTo(200);
      assertThat(scrape(name, "/actuator/prometheus", null).statusCode())
          .as(name + " without credentials")
          .isEqualTo(401);
      assertThat(scrape(name, "/actuator/prometheus", "Bearer not-the-token").statusCode())
          .as(name + " with a wrong token")
          .isEqualTo(401);
      if (name.equals("device-api")) {
        // no operator keys on the devices' port: only the token opens the scrape
        assertThat(scrape(name, "/actuator/prometheus", RunningSuite.ADMIN).statusCode())
            .isEqualTo(401);
        continue;
      }
      assertThat(scrape(name, "/actuator/prometheus", RunningSuite.ADMIN).statusCode())
          .as(name + " with the system admin key")
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(scrape(name, "/actuator/prometheus", viewer).statusCode())
                      .as(name + " with a VIEWER key")
                      .isEqualTo(403));
      // the token opens the scrape and nothing else
      assertThat(scrape(name, "/actuator/metrics", SCRAPE).statusCode())
          .as(name + " /actuator/metrics with the scrape token")
          .isEqualTo(401);
      assertThat(scrape(name, "/actuator/env", SCRAPE).statusCode()).isEqualTo(401);
      assertThat(scrape(name, "/api/v1/anything", SCRAPE).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void afterTrafficEveryServiceShowsItsMetricsAndPassesPromtool() throws Exception {
    traffic();
    for (Suite.Service service : Suite.SERVICES) {
      String name = service.name();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String body = scrape(name, "/actuator/prometheus", SCRAPE).body();
                assertThat(body).as(name).contains(EXPECTED.get(name));
              });
      HttpResponse<String> scraped = scrape(name, "/actuator/prometheus", SCRAPE);
      // bounded tags: route templates, never a device id
      assertThat(scraped.body())
          .as(name)
          .doesNotContainPattern("uri=\"[^\"]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-");
      promtoolCheckMetrics(name, scraped.body());
    }
  }

  /** A device through the pipeline: created, config generated, enrolled, fetched, heartbeat. */
  private static void traffic() throws Exception {
    var created =
        SuiteHttp.send(
            suite,
            "POST",
            "sc-service",
            "/api/v1/devices",
            "{\"serial\":\"METRICS-0001\",\"model\":\"ow-x86\",\"name\":\"branch-metrics\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode device = json.readTree(created.body());
    String deviceId = device.get("id").asString();
    var accepted =
        SuiteHttp.send(
            suite,
            "POST",
            "sc-service",
            "/api/v1/devices/" + deviceId + "/config-requests",
            "{\"variables\":{\"timezone\":\"Europe/Berlin\"}}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String statusUrl = accepted.headers().firstValue("Location").orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        json.readTree(
                                SuiteHttp.send(suite, "GET", "sc-service", statusUrl, null).body())
                            .get("status")
                            .asString())
                    .isEqualTo("COMPLETED"));
    var simulated =
        new SimulatedDevice(
            http,
            "http://127.0.0.1:" + suite.port("device-api"),
            "METRICS-0001",
            "X-SSL-Client-Cert");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> simulated.enroll(device.get("bootstrapToken").asString()) == 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> simulated.fetchConfig() == 200);
    assertThat(simulated.fetchConfig()).isEqualTo(304);
    assertThat(simulated.heartbeat(60, "ESTABLISHED").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> scrape(String service, String path, String authorization)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.port(service) + path)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code promtool check metrics} on the scrape; fails (never skips) without promtool. */
  private static void promtoolCheckMetrics(String service, String body) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      fail(
          "promtool is not installed (Debian package prometheus: apt-get install prometheus;"
              + " .ci/run installs it): "
              + notInstalled.getMessage());
      return;
    }
    try (var stdin = process.getOutputStream()) {
      stdin.write(body.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // 0: clean; 3: lint findings only. Those of libraries' meters (Kafka client "_ns", Spring's
    // missing HELP) are not ours to rename; EMS's own meters must have none. 1: invalid exposition
    assertThat(process.exitValue())
        .as(service + ": promtool check metrics\n" + output)
        .isIn(0, PROMTOOL_LINT_ONLY);
    assertThat(output.lines().filter(line -> line.startsWith("ems_") || line.startsWith("diag_")))
        .as(service + ": promtool findings on EMS meters")
        .isEmpty();
  }
}
