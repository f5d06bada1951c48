package dev.ems.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, the request line sent byte for byte: for tests that send what an
 * attacker would ({@code %ZZ}, {@code ;params}, {@code /./}), which HTTP clients refuse or
 * normalise. One request per connection.
 */
public final class RawHttp {

  private RawHttp() {}

  /** A response: status, headers (names in lower case), body as text. */
  public record Response(int statusCode, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  public static Response get(int port, String path, String authorization) throws IOException {
    return send(port, "GET", path, authorization, null, null);
  }

  /** Sends one request; {@code body} with its content type, or none. */
  public static Response send(
      int port, String method, String path, String authorization, String contentType, byte[] body)
      throws IOException {
    return send(
        port,
        method,
        path,
        authorization == null ? Map.of() : Map.of("Authorization", authorization),
        contentType,
        body);
  }

  /** Sends one request with the given headers; {@code body} with its content type, or none. */
  public static Response send(
      int port,
      String method,
      String path,
      Map<String, String> headers,
      String contentType,
      byte[] body)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      head.append("Connection: close\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (body != null) {
        head.append("Content-Type: ").append(contentType).append("\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      var out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException e) {
          // the server may answer (413) and close before reading it all
        }
      }
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      in.transferTo(all);
    } catch (IOException e) {
      // a reset after the response was sent: parse what arrived
    }
    byte[] bytes = all.toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no HTTP response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      rest = dechunk(rest);
    }
    return new Response(status, headers, new String(rest, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = indexOf(chunked, i);
      if (lineEnd < 0) {
        break;
      }
      String size = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0];
      int length = Integer.parseInt(size.trim(), 16);
      if (length == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, Math.min(length, chunked.length - lineEnd - 2));
      i = lineEnd + 2 + length + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length - 1; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
