package dev.ems.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds N idle keep-alive connections to a server, for bench/device-api.sh to measure what an idle
 * connection costs the server. Each connection sends one request (the given header lines) and reads
 * its whole response, so the server has set the connection up as it does for a device that polled
 * once; then nothing more is sent. Prints {@code open <n> failed <f>} once all are set up, holds
 * them until standard input closes or gives a line, then closes them.
 *
 * <p>Usage: {@code IdleConnections <host> <port> <n> <path> [header-line...]}.
 */
public final class IdleConnections {

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    StringBuilder request = new StringBuilder("GET " + args[3] + " HTTP/1.1\r\nHost: " + host);
    for (int i = 4; i < args.length; i++) {
      request.append("\r\n").append(args[i]);
    }
    byte[] bytes = request.append("\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    List<Socket> open = Collections.synchronizedList(new ArrayList<>(n));
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger firstFailures = new AtomicInteger();
    // no more connects in flight than the listen backlog (4096 here) takes without dropping SYNs
    Semaphore inFlight = new Semaphore(1000);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        pool.submit(
            () -> {
              inFlight.acquireUninterruptibly();
              Socket socket = new Socket();
              try {
                socket.connect(new InetSocketAddress(host, port), 30_000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(bytes);
                readResponse(socket.getInputStream());
                open.add(socket);
              } catch (IOException e) {
                failed.incrementAndGet();
                if (firstFailures.incrementAndGet() <= 3) {
                  System.err.println("connection failed: " + e);
                }
                try {
                  socket.close();
                } catch (IOException ignored) {
                  // already failed
                }
              } finally {
                inFlight.release();
              }
            });
      }
    }
    System.out.println("open " + open.size() + " failed " + failed.get());
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    for (Socket socket : open) {
      socket.close();
    }
  }

  /** Reads one HTTP/1.1 response: the head, then Content-Length bytes of body. */
  private static void readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      int len = head.length();
      if (len >= 4 && head.lastIndexOf("\r\n\r\n") == len - 4) {
        break;
      }
    }
    if (b < 0) {
      throw new IOException("connection closed before the response head ended");
    }
    String text = head.toString();
    if (!text.startsWith("HTTP/1.1 2") && !text.startsWith("HTTP/1.1 3")) {
      throw new IOException("unexpected response: " + text.lines().findFirst().orElse(""));
    }
    long length = 0;
    for (String line : text.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    while (length > 0) {
      long skipped = in.skip(length);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed inside the body");
        }
        skipped = 1;
      }
      length -= skipped;
    }
  }
}
