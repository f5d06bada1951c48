package dev.ems.device.enrollment;

import com.sun.net.httpserver.HttpServer;
import dev.ems.device.DeviceApiClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server that answers {@code POST /internal/v1/enrollments} as pki-service's contract
 * (docs/adr/0006) says: 200 with serial, certificate, chain and notAfter; or a problem; or 503 when
 * told to be down. It checks the service key and that the device's bootstrap token is passed on
 * (pki-service checks it against the token hashes it learns from SC); told to, it refuses the token
 * or the key as pki-service would.
 */
final class StubPki implements AutoCloseable {

  static final String KEY = dev.ems.embedded.TestInfrastructure.INTERNAL_API_KEY;

  final AtomicInteger calls = new AtomicInteger();
  final AtomicReference<String> mode = new AtomicReference<>("ok");
  final AtomicReference<String> lastToken = new AtomicReference<>();
  private final HttpServer server;
  private final String rootPem;

  StubPki() throws Exception {
    rootPem = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), "Stub Root");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/internal/v1/enrollments",
        exchange -> {
          calls.incrementAndGet();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"status\":401,\"code\":\"unauthenticated\"}");
            return;
          }
          String token =
              body.matches("(?s).*\"bootstrapToken\":\"[^\"]+\".*")
                  ? body.replaceAll("(?s).*\"bootstrapToken\":\"([^\"]+)\".*", "$1")
                  : null;
          lastToken.set(token);
          if (token == null) {
            send(exchange, 401, "{\"status\":401,\"code\":\"bootstrap-token-invalid\"}");
            return;
          }
          switch (mode.get()) {
            case "refuse-token" ->
                send(
                    exchange,
                    401,
                    "{\"status\":401,\"code\":\"bootstrap-token-invalid\",\"field\":\"bootstrapToken\",\"detail\":\"The device's current bootstrap token is required\"}");
            case "refuse-key" ->
                send(exchange, 401, "{\"status\":401,\"code\":\"unauthenticated\"}");
            case "down" -> send(exchange, 503, "{\"status\":503,\"code\":\"service-unavailable\"}");
            case "bad-csr" ->
                send(
                    exchange,
                    422,
                    "{\"status\":422,\"code\":\"invalid-csr\",\"field\":\"csr\",\"detail\":\"signature does not verify\"}");
            default -> {
              String deviceId = body.replaceAll(".*\"deviceId\":\"([^\"]+)\".*", "$1");
              try {
                String cert = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), deviceId);
                send(
                    exchange,
                    200,
                    "{\"serial\":\"5a"
                        + calls.get()
                        + "\",\"certificatePem\":"
                        + json(cert)
                        + ",\"chainPem\":"
                        + json(rootPem)
                        + ",\"notAfter\":\""
                        + Instant.now().plusSeconds(86400 * 365)
                        + "\"}");
              } catch (Exception e) {
                send(exchange, 500, "{}");
              }
            }
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static String json(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
