package dev.ems.sc.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 for the webhook tests: records every request it gets (headers
 * and body, in arrival order) and answers 500 to the first attempts of the message ids it is told
 * to fail, and always 500 on {@code /always-failing}.
 */
final class Receiver implements AutoCloseable {

  record Request(
      String path, String id, String timestamp, String signature, String body, int answer) {}

  private final HttpServer server;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String id = exchange.getRequestHeaders().getFirst("webhook-id");
          String path = exchange.getRequestURI().getPath();
          AtomicInteger left = id == null ? null : failuresLeft.get(id);
          boolean fail =
              path.equals("/always-failing") || (left != null && left.getAndDecrement() > 0);
          int answer = fail ? 500 : 204;
          requests.add(
              new Request(
                  path,
                  id,
                  exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                  exchange.getRequestHeaders().getFirst("webhook-signature"),
                  body,
                  answer));
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    server.start();
  }

  /** The first {@code times} attempts of message {@code id} are answered 500. */
  void fail(String id, int times) {
    failuresLeft.put(id, new AtomicInteger(times));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> at(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
