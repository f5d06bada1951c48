package dev.ems.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.device.DeviceApiApplication;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A device's keep-alive connection keeps being read whatever the order in which its requests
 * finish. Reactor Netty 1.3.7 stopped reading a connection for good when a request that had arrived
 * before the previous one finished was answered at once (reactor/reactor-netty#4361): the device's
 * next request then sat unread until it timed out. Seen here as enrollments that hung right after
 * start; fixed by Reactor Netty 1.3.8.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveIT {

  private static final int READ_TIMEOUT_MILLIS = 5_000;

  @LocalServerPort int port;

  @Value("${server.netty.idle-timeout}")
  Duration idleTimeout;

  /**
   * A connection that stays idle is closed by device-api, before its first request and between
   * requests: a device gone without a FIN (NAT timeout, power cut) must not hold a socket for good.
   * Shown on a second device-api whose timeout is a second; the service's own default outlasts two
   * polls of a device (60 s each).
   */
  @Test
  void anIdleConnectionIsClosed() throws Exception {
    assertThat(idleTimeout).isEqualTo(Duration.ofSeconds(150));
    Map<String, String> settings = new LinkedHashMap<>(TestInfrastructure.springProperties());
    settings.put("server.port", "0");
    settings.put("server.netty.idle-timeout", "PT1S");
    // a consumer group of its own, as every replica has (dev.ems.device.system.Replica)
    settings.put("device-api.instance-id", "idle-probe");
    try (var replica =
        new SpringApplicationBuilder(DeviceApiApplication.class)
            .run(
                settings.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new))) {
      int replicaPort =
          replica.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      try (Socket silent = new Socket();
          Socket served = new Socket()) {
        silent.connect(new InetSocketAddress("127.0.0.1", replicaPort), READ_TIMEOUT_MILLIS);
        served.connect(new InetSocketAddress("127.0.0.1", replicaPort), READ_TIMEOUT_MILLIS);
        served
            .getOutputStream()
            .write(
                "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        served.setSoTimeout(READ_TIMEOUT_MILLIS);
        assertThat(readResponse(served.getInputStream())).startsWith("HTTP/1.1 200");
        // a read blocks until the server closes (-1) or the 5 s socket timeout throws
        silent.setSoTimeout(READ_TIMEOUT_MILLIS);
        assertThat(silent.getInputStream().read()).as("never asked anything").isEqualTo(-1);
        assertThat(served.getInputStream().read()).as("idle after its answer").isEqualTo(-1);
      }
    }
  }

  @Test
  void aConnectionIsStillReadAfterAQueuedRequestIsAnsweredAtOnce() throws Exception {
    UUID device = UUID.randomUUID();
    String cert = ConfigFetchITSupport.enrolledDevice(device);
    String sha = ConfigFetchITSupport.publish(device, 1, "keep-alive");
    DeviceApiClient api = new DeviceApiClient(port);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> api.get("/device/v1/config", cert).statusCode() == 200);
    String header = URLEncoder.encode(cert, StandardCharsets.UTF_8);
    String heartbeat =
        "{\"sentAt\":\""
            + Instant.now()
            + "\",\"uptimeSeconds\":60,\"firmware\":\"24.10.1\",\"tunnels\":[]}";
    String slow =
        "POST /device/v1/heartbeat HTTP/1.1\r\nHost: localhost\r\nX-SSL-Client-Cert: "
            + header
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + heartbeat.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + heartbeat;
    String fast =
        "GET /device/v1/config HTTP/1.1\r\nHost: localhost\r\nX-SSL-Client-Cert: "
            + header
            + "\r\nIf-None-Match: \""
            + sha
            + "\"\r\n\r\n";

    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      var out = socket.getOutputStream();
      var in = socket.getInputStream();
      for (int round = 0; round < 5; round++) {
        // the heartbeat waits for Kafka's ack; the fetch behind it is answered from memory
        out.write((slow + fast).getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
        assertThat(readResponse(in)).startsWith("HTTP/1.1 304");
        out.write(fast.getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(readResponse(in))
            .as("round %d: the next request is read", round)
            .startsWith("HTTP/1.1 304");
      }
      // header names as the routed path spells them: a device's client may compare them exactly
      out.write(
          fast.replaceFirst("If-None-Match: [^\r]*\r\n", "").getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(readResponse(in))
          .startsWith("HTTP/1.1 200")
          .contains("\r\nContent-Type: application/json\r\n")
          .contains("\r\nETag: \"" + sha + "\"\r\n")
          .contains("\r\nX-Config-Version: 1\r\n")
          .contains("\r\nCache-Control: no-cache\r\n")
          .containsPattern("\r\nContent-Length: \\d+\r\n");
    }
  }

  /** One response's status line and headers, its body skipped by Content-Length. */
  private static String readResponse(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return text;
  }
}
