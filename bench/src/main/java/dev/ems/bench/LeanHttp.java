package dev.ems.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load generator's HTTP/1.1 client: a fixed set of keep-alive connections, each served by one
 * virtual thread taking requests from a shared queue, with hand-written request and response
 * framing. {@code java.net.http.HttpClient} cost about as much CPU per request as the service under
 * test, which on a 2-core machine skewed the figures; this costs a fraction of it.
 */
final class LeanHttp implements AutoCloseable {

  /** A request to send and what to do with the answer (status, body) or the failure. */
  record Call(String method, String path, String body, Callback callback) {}

  @FunctionalInterface
  interface Callback {
    void done(int status, String body, Exception failure);
  }

  private static final Call STOP = new Call(null, null, null, null);

  private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
  private final Thread[] workers;
  private final AtomicInteger inFlight = new AtomicInteger();

  LeanHttp(String host, int port, String authorization, int connections) {
    workers = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      workers[i] =
          Thread.ofVirtual().name("lean-http-" + i).start(() -> work(host, port, authorization));
    }
  }

  void submit(Call call) {
    inFlight.incrementAndGet();
    queue.add(call);
  }

  /** Waits until every submitted call has completed. */
  void drain() throws InterruptedException {
    while (inFlight.get() > 0) {
      Thread.sleep(5);
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = 0; i < workers.length; i++) {
      queue.add(STOP);
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  private void work(String host, int port, String authorization) {
    Socket socket = null;
    InputStream in = null;
    while (true) {
      Call call;
      try {
        call = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (call == STOP) {
        closeQuietly(socket);
        return;
      }
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress(host, port));
          in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }
        exchange(socket, in, host, authorization, call);
      } catch (IOException | RuntimeException e) {
        closeQuietly(socket);
        socket = null;
        call.callback().done(0, null, e);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private static void exchange(
      Socket socket, InputStream in, String host, String authorization, Call call)
      throws IOException {
    byte[] body = call.body() == null ? new byte[0] : call.body().getBytes(StandardCharsets.UTF_8);
    String head =
        call.method()
            + " "
            + call.path()
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nAuthorization: "
            + authorization
            + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] message = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, message, 0, headBytes.length);
    System.arraycopy(body, 0, message, headBytes.length, body.length);
    out.write(message);
    out.flush();
    String status = line(in);
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    String header;
    while (!(header = line(in)).isEmpty()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(header.substring(colon + 1).trim());
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = header.toLowerCase().contains("chunked");
      }
    }
    String text;
    if (chunked) {
      StringBuilder sb = new StringBuilder();
      int size;
      while ((size = Integer.parseInt(line(in).trim(), 16)) > 0) {
        sb.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        line(in);
      }
      line(in);
      text = sb.toString();
    } else {
      text = new String(in.readNBytes(Math.max(length, 0)), StandardCharsets.UTF_8);
    }
    call.callback().done(code, text, null);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int last = sb.length() - 1;
        if (last >= 0 && sb.charAt(last) == '\r') {
          sb.setLength(last);
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
    throw new IOException("connection closed");
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
