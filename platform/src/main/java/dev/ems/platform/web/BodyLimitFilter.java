package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds request bodies: a declared length over the limit is refused at once (413), a body sent
 * without one stops being read at the limit (413 through {@link ProblemHandler}). The limit is
 * {@code ems.platform.max-body-size}, or a larger one for paths in {@code ems.platform.body-limits}
 * (template sets).
 */
public class BodyLimitFilter extends OncePerRequestFilter {

  private final long defaultLimit;
  private final Map<PathPattern, Long> limits = new java.util.LinkedHashMap<>();
  private final JsonMapper json;

  public BodyLimitFilter(DataSize defaultLimit, Map<String, DataSize> paths, JsonMapper json) {
    this.defaultLimit = defaultLimit.toBytes();
    paths.forEach(
        (p, size) -> limits.put(PathPatternParser.defaultInstance.parse(p), size.toBytes()));
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = limitFor(request);
    if (request.getContentLengthLong() > limit) {
      response.setStatus(413);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setHeader("Connection", "close");
      json.writeValue(
          response.getOutputStream(),
          Problems.of(
              ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than " + limit + " bytes"));
      return;
    }
    chain.doFilter(new Bounded(request, limit), response);
  }

  private long limitFor(HttpServletRequest request) {
    if (limits.isEmpty()) {
      return defaultLimit;
    }
    PathContainer path = PathContainer.parsePath(request.getRequestURI());
    for (var entry : limits.entrySet()) {
      if (entry.getKey().matches(path)) {
        return entry.getValue();
      }
    }
    return defaultLimit;
  }

  /** Raised when a body without a declared length passes the limit. */
  public static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
      super("The request body is larger than " + limit + " bytes");
    }
  }

  private static final class Bounded extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    Bounded(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private long read;

    Counting(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
