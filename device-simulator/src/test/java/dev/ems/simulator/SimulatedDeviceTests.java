package dev.ems.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The simulated device against a stand-in device-api on a local port. */
class SimulatedDeviceTests {

  static final JsonMapper JSON = JsonMapper.shared();
  static final String HEADEND = "ems.example.net";
  static final String GOOD = "a".repeat(64);
  static final String ELSEWHERE = "b".repeat(64);

  HttpServer server;
  final AtomicReference<String> bundle = new AtomicReference<>();
  final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
  final List<JsonNode> reports = new CopyOnWriteArrayList<>();
  final List<JsonNode> enrollments = new CopyOnWriteArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger reportStatus =
      new java.util.concurrent.atomic.AtomicInteger(202);
  SimulatedDevice device;

  @BeforeEach
  void deviceApi() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/device/v1/enroll",
        ex -> {
          enrollments.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          respond(
              ex, 200, "{\"certificatePem\":\"PEM\",\"deviceId\":\"" + UUID.randomUUID() + "\"}");
        });
    server.createContext(
        "/device/v1/config",
        ex -> {
          String body = bundle.get();
          String sha = JSON.readTree(body).get("sha256").asString();
          ex.getResponseHeaders().add("ETag", "\"" + sha + "\"");
          respond(ex, 200, body);
        });
    server.createContext(
        "/device/v1/config-status",
        ex -> {
          reports.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          respond(ex, reportStatus.get(), "");
        });
    server.createContext(
        "/device/v1/heartbeat",
        ex -> {
          heartbeats.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          respond(ex, 200, "{\"commands\":[]}");
        });
    server.start();
    device =
        new SimulatedDevice(
            HttpClient.newHttpClient(),
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "SIM-1",
            "X-SSL-Client-Cert");
    assertThat(device.enroll("token")).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anEnrollmentAskedAgainCarriesTheSameRequest() throws Exception {
    // a retry after a timeout whose enrollment did complete: pki-service answers the same CSR with
    // its certificate again, and refuses a new CSR on the spent token (bootstrap-token-used)
    assertThat(device.enroll("token")).isEqualTo(200);
    assertThat(enrollments).hasSize(2);
    assertThat(enrollments.get(1).get("csr").asString())
        .isEqualTo(enrollments.get(0).get("csr").asString());
  }

  @Test
  void heartbeatsNameTheAppliedBundleAndTheTunnelFollowsIt() throws Exception {
    device.heartbeat(1, device.managementTunnel(HEADEND));
    assertThat(heartbeats.getLast().has("configSha256")).isFalse();
    assertThat(device.managementTunnel(HEADEND)).isEqualTo("DOWN"); // no config, no tunnel

    serve(1, GOOD, HEADEND);
    assertThat(device.fetchConfig()).isEqualTo(200);
    device.reportApply(true, null);
    device.heartbeat(2, device.managementTunnel(HEADEND));
    assertThat(heartbeats.getLast().get("configSha256").asString()).isEqualTo(GOOD);
    assertThat(heartbeats.getLast().get("tunnels").get(0).get("state").asString())
        .isEqualTo("ESTABLISHED");

    // a version that fails to apply changes nothing the device runs
    serve(2, ELSEWHERE, "203.0.113.9");
    assertThat(device.fetchConfig()).isEqualTo(200);
    device.reportApply(false, "simulated apply failure");
    assertThat(device.runningSha()).isEqualTo(GOOD);
    assertThat(device.managementTunnel(HEADEND)).isEqualTo("ESTABLISHED");

    // applied, it points the tunnel at a headend the device cannot reach: the tunnel is lost
    device.reportApply(true, null);
    device.heartbeat(3, device.managementTunnel(HEADEND));
    assertThat(heartbeats.getLast().get("configSha256").asString()).isEqualTo(ELSEWHERE);
    assertThat(heartbeats.getLast().get("tunnels").get(0).get("state").asString())
        .isEqualTo("DOWN");
  }

  @Test
  void aReportDeviceApiDidNotAcknowledgeIsSentAgainBeforeTheNextPoll() throws Exception {
    serve(1, GOOD, HEADEND);
    assertThat(device.fetchConfig()).isEqualTo(200);
    reportStatus.set(503);
    assertThat(device.reportApply(true, null)).isEqualTo(503);
    // the device runs it either way, and its next poll would be a 304: the report goes first
    assertThat(device.runningSha()).isEqualTo(GOOD);
    reportStatus.set(202);
    assertThat(device.fetchConfig()).isEqualTo(200);
    assertThat(reports).hasSize(2);
    assertThat(reports.getLast().get("version").asInt()).isEqualTo(1);
    assertThat(reports.getLast().get("status").asString()).isEqualTo("APPLIED");
    // acknowledged: not sent a third time
    assertThat(device.resendReport()).isZero();
    device.fetchConfig();
    assertThat(reports).hasSize(2);
  }

  private void serve(int version, String sha, String endpoint) throws IOException {
    String swanctl = ManagementTunnelTests.rendered(endpoint);
    bundle.set(
        JSON.writeValueAsString(
            Map.of(
                "version",
                version,
                "sha256",
                sha,
                "files",
                List.of(Map.of("path", ManagementTunnel.PATH, "content", swanctl)))));
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }
}
