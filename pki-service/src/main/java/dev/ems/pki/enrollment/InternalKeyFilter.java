package dev.ems.pki.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /internal/**}: only EMS services holding {@code pki.internal-api-key} get in. The
 * hashes of presented and configured key are compared in constant time, so neither the key nor its
 * length leaks through timing. Operator authentication does not look at {@code /internal/**}
 * (platform SecurityConfiguration), so the service key is never taken for an API key.
 */
class InternalKeyFilter extends OncePerRequestFilter {

  private final byte[] expectedHash;
  private final JsonMapper json;

  InternalKeyFilter(String key, JsonMapper json) {
    this.expectedHash = sha256(key);
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    byte[] presented = sha256(bearer ? header.substring(7).trim() : "");
    if (!bearer || !MessageDigest.isEqual(presented, expectedHash)) {
      response.setStatus(401);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"ems-internal\"");
      json.writeValue(
          response.getOutputStream(),
          Problems.of(ErrorCode.UNAUTHENTICATED, "A valid internal service key is required"));
      return;
    }
    chain.doFilter(request, response);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
