package dev.ems.device.config;

import static dev.ems.device.config.ConfigFetchITSupport.enrolledDevice;
import static dev.ems.device.config.ConfigFetchITSupport.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.device.DeviceApiApplication;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestInfrastructure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two device-api replicas on one database and one Kafka: each must see every event that feeds its
 * in-memory caches, or a device polling the other replica gets an old config, and a revoked
 * certificate keeps working there.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "device-api.instance-id=replica-a")
class MultiReplicaIT {

  static ConfigurableApplicationContext replicaB;

  @BeforeAll
  static void startSecondReplica() {
    Map<String, String> settings = new LinkedHashMap<>(TestInfrastructure.springProperties());
    settings.put("server.port", "0");
    settings.put("device-api.instance-id", "replica-b");
    replicaB =
        new SpringApplicationBuilder(DeviceApiApplication.class)
            .run( // arguments, as they outrank the service's own configuration
                settings.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
  }

  @AfterAll
  static void stopSecondReplica() {
    replicaB.close();
  }

  @LocalServerPort int port;

  @Test
  void everyReplicaServesTheNewestConfigAndRefusesARevokedCertificate() throws Exception {
    var replicas =
        List.of(
            new DeviceApiClient(port),
            new DeviceApiClient(
                replicaB.getEnvironment().getRequiredProperty("local.server.port", Integer.class)));
    UUID device = UUID.randomUUID();
    String cert = enrolledDevice(device);
    String first = publish(device, 1, "first");
    awaitEtag(replicas, cert, first);

    // both caches now hold version 1: each must take version 2 from its own consumer group
    String second = publish(device, 2, "second");
    awaitEtag(replicas, cert, second);

    ConfigFetchITSupport.revoke(device, "0c0d", "CN=Issuing", DeviceApiClient.fingerprint(cert));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (DeviceApiClient replica : replicas) {
                var r = replica.get("/device/v1/config", cert);
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.body()).contains("certificate-revoked");
              }
            });
  }

  private static void awaitEtag(List<DeviceApiClient> replicas, String cert, String sha) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (DeviceApiClient replica : replicas) {
                var r = replica.get("/device/v1/config", cert);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
              }
            });
  }
}
