package dev.ems.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.Topics;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConfigFetchIT {

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;
  DeviceApiClient api;

  @BeforeEach
  void client() {
    api = new DeviceApiClient(port);
  }

  static String enrolledDevice(UUID device) throws Exception {
    return ConfigFetchITSupport.enrolledDevice(device);
  }

  @Test
  void servesThePublishedConfigWithItsEtagAnd304ForThatTag() throws Exception {
    UUID device = UUID.randomUUID();
    String cert = enrolledDevice(device);
    String sha = publish(device, 1, "hostname one");
    double served = fetches("200");
    double notModifiedBefore = fetches("304");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var r = api.get("/device/v1/config", cert);
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
              assertThat(r.headers().firstValue("X-Config-Version")).hasValue("1");
              assertThat(r.body()).contains("hostname one");
            });
    // what a device gets once the config is in memory (the fast route), and with a query string
    for (String path : new String[] {"/device/v1/config", "/device/v1/config?since=1"}) {
      var r = api.get(path, cert);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(r.headers().firstValueAsLong("Content-Length"))
          .hasValue(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(r.body()).contains("hostname one");
    }
    var notModified = api.get("/device/v1/config", cert, "If-None-Match", "\"" + sha + "\"");
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
    assertThat(notModified.headers().firstValue("X-Config-Version")).hasValue("1");
    assertThat(notModified.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(notModified.body()).isEmpty();
    // the fetch counters that replace the per-request observation (tests run one at a time, so
    // only this test's requests move them)
    assertThat(fetches("200")).isGreaterThan(served);
    assertThat(fetches("304")).isEqualTo(notModifiedBefore + 1);
  }

  private double fetches(String status) {
    var counter = meters.find("ems.device.config.fetches").tag("status", status).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aNewerVersionReplacesTheOldAndARedeliveredOlderOneChangesNothing() throws Exception {
    UUID device = UUID.randomUUID();
    String cert = enrolledDevice(device);
    String first = publish(device, 1, "v1");
    String second = publish(device, 2, "v2");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        api.get("/device/v1/config", cert).headers().firstValue("X-Config-Version"))
                    .hasValue("2"));

    publish(device, 1, "v1");
    UUID marker = UUID.randomUUID();
    String markerCert = enrolledDevice(marker);
    String markerSha = publish(marker, 1, "after the redelivery");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(api.get("/device/v1/config", markerCert).headers().firstValue("ETag"))
                    .hasValue("\"" + markerSha + "\""));

    var r = api.get("/device/v1/config", cert, "If-None-Match", "\"" + first + "\"");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + second + "\"");
    assertThat(r.body()).contains("v2");
  }

  @Test
  void noOrUnknownCertificatesAreRefusedWithProblems() throws Exception {
    double refusedBefore = problems("unauthenticated");
    var none = api.get("/device/v1/config", null);
    var unknown =
        api.get(
            "/device/v1/config",
            DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), "stranger"));
    var garbage = api.get("/device/v1/config", "not a certificate");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(none.body()).contains("\"code\":\"unauthenticated\"");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(garbage.statusCode()).isEqualTo(401);
    // refusals show in the metrics, by problem code
    assertThat(problems("unauthenticated")).isEqualTo(refusedBefore + 3);
  }

  private double problems(String code) {
    var counter = meters.find("ems.http.problems").tag("code", code).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aRevokedCertificateAndADecommissionedDeviceAreRefusedWithinSeconds() throws Exception {
    UUID revokedDevice = UUID.randomUUID();
    String revokedCert = enrolledDevice(revokedDevice);
    UUID retired = UUID.randomUUID();
    String retiredCert = enrolledDevice(retired);
    publish(revokedDevice, 1, "x");
    publish(retired, 1, "y");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(api.get("/device/v1/config", revokedCert).statusCode()).isEqualTo(200);
              assertThat(api.get("/device/v1/config", retiredCert).statusCode()).isEqualTo(200);
            });

    ConfigFetchITSupport.revoke(
        revokedDevice, "0a1b", "CN=Issuing", DeviceApiClient.fingerprint(revokedCert));
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            retired.toString(),
            new DeviceDecommissioned(retired, "SN", Instant.now())));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var r = api.get("/device/v1/config", revokedCert);
              assertThat(r.statusCode()).isEqualTo(401);
              assertThat(r.body()).contains("certificate-revoked");
              var d = api.get("/device/v1/config", retiredCert);
              assertThat(d.statusCode()).isEqualTo(409);
              assertThat(d.body()).contains("device-decommissioned");
            });
  }

  @Test
  void aFloodingDeviceIsRateLimitedWhileOthersAreServed() throws Exception {
    UUID noisy = UUID.randomUUID();
    UUID quiet = UUID.randomUUID();
    String noisyCert = enrolledDevice(noisy);
    String quietCert = enrolledDevice(quiet);
    publish(noisy, 1, "n");
    publish(quiet, 1, "q");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(api.get("/device/v1/config", quietCert).statusCode()).isEqualTo(200));

    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 200; i++) {
      var r = api.get("/device/v1/config", noisyCert);
      if (r.statusCode() == 429) {
        limited++;
        retryAfter = r.headers().firstValue("Retry-After").orElse(null);
      }
    }

    assertThat(limited).isGreaterThan(100);
    assertThat(retryAfter).isNotNull();
    assertThat(api.get("/device/v1/config", quietCert).statusCode()).isEqualTo(200);
  }

  static String publish(UUID device, int version, String content) throws Exception {
    return ConfigFetchITSupport.publish(device, version, content);
  }
}
