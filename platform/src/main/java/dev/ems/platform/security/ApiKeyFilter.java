package dev.ems.platform.security;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /api/v1/**}: requires {@code Authorization: Bearer <api key>}; reads need a viewer,
 * changes an operator, API-key management an admin.
 */
class ApiKeyFilter extends OncePerRequestFilter {

  static final String PROTECTED_PREFIX = "/api/";
  private static final String ADMIN_PREFIX = "/api/v1/api-keys";

  private final ApiKeys keys;
  private final JsonMapper json;

  ApiKeyFilter(ApiKeys keys, JsonMapper json) {
    this.keys = keys;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith(PROTECTED_PREFIX);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      reject(response, ErrorCode.UNAUTHENTICATED, "An API key is required: Authorization: Bearer");
      return;
    }
    Optional<Caller> caller = keys.authenticate(header.substring(7).trim());
    if (caller.isEmpty()) {
      reject(response, ErrorCode.UNAUTHENTICATED, "The API key is unknown or revoked");
      return;
    }
    Role required = requiredRole(request);
    if (!caller.get().role().covers(required)) {
      reject(
          response,
          ErrorCode.FORBIDDEN,
          "This operation needs the " + required + " role; the key has " + caller.get().role());
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    chain.doFilter(request, response);
  }

  static Role requiredRole(HttpServletRequest request) {
    if (request.getRequestURI().startsWith(ADMIN_PREFIX)) {
      return Role.ADMIN;
    }
    String method = request.getMethod();
    boolean read =
        HttpMethod.GET.matches(method)
            || HttpMethod.HEAD.matches(method)
            || HttpMethod.OPTIONS.matches(method);
    return read ? Role.VIEWER : Role.OPERATOR;
  }

  private void reject(HttpServletResponse response, ErrorCode code, String detail)
      throws IOException {
    ProblemDetail problem = Problems.of(code, detail);
    response.setStatus(code.status());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    if (code == ErrorCode.UNAUTHENTICATED) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"ems\"");
    }
    json.writeValue(response.getOutputStream(), problem);
  }
}
