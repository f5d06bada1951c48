package dev.ems.device.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.device.DeviceApiClient;
import dev.ems.device.config.ConfigFetchITSupport;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A certificate counts only for a known, active device of the certificate's own tenant (issue 13,
 * hole 3): a certificate PKI issued in another tenant's name, or for a device the inventory never
 * announced, names no device here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeviceTenantIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  DeviceApiClient api;

  @BeforeEach
  void client() {
    api = new DeviceApiClient(port);
  }

  @Test
  void certificateOfAnotherTenantIsRefusedForDevice() throws Exception {
    UUID device = UUID.randomUUID();
    inventory(device, "tenant-a");
    ConfigFetchITSupport.publish(device, 1, "tenant A's tunnel secrets");
    // tenant B's end entity named after A's device, with B's own key
    String foreign = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), device.toString());
    announce(device, "tenant-b", foreign);
    // A's own certificate, announced after B's on the same partition: once it works, B's is known
    String own = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), device.toString());
    announce(device, "tenant-a", own);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(api.get("/device/v1/config", own).statusCode()).isEqualTo(200));

    var refused = api.get("/device/v1/config", foreign);

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("\"code\":\"unauthenticated\"").doesNotContain("tunnel");
    var report =
        api.post(
            "/device/v1/heartbeat",
            foreign,
            "{\"uptimeSeconds\":1,\"firmware\":\"x\",\"tunnels\":[]}");
    assertThat(report.statusCode()).isEqualTo(401);
  }

  @Test
  void unknownDeviceCertificateIsRefused() throws Exception {
    UUID device = UUID.randomUUID();
    ConfigFetchITSupport.publish(device, 1, "never announced by the inventory");
    String cert = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), device.toString());
    announce(device, "default", cert);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql("select count(*) from device_credential where device_id = ?")
                        .param(device)
                        .query(Long.class)
                        .single()
                    == 1);

    var refused = api.get("/device/v1/config", cert);

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("\"code\":\"unauthenticated\"");
  }

  private static void inventory(UUID device, String tenant) {
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc-service/devices",
            tenant,
            device.toString(),
            new DeviceCreated(device, "SN-" + device, "m", "n", Instant.now())));
  }

  private static void announce(UUID device, String tenant, String pem) throws Exception {
    TestEvents.publish(
        Topics.PKI_CERTIFICATES,
        EventEnvelope.of(
            "/pki-service/certificates",
            tenant,
            device.toString(),
            new CertificateIssued(
                device,
                Long.toHexString(System.nanoTime()),
                "CN=Issuing",
                "CN=" + device,
                DeviceApiClient.fingerprint(pem),
                Instant.now(),
                Instant.now().plusSeconds(86400))));
  }
}
