package dev.ems.platform.security;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/** Spring Security's refusals as RFC 9457 problems with EMS's stable codes. */
final class SecurityProblems
    implements AuthenticationEntryPoint,
        AuthenticationFailureHandler,
        AccessDeniedHandler,
        RequestRejectedHandler {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SecurityProblems.class);

  private final JsonMapper json;

  SecurityProblems(JsonMapper json) {
    this.json = json;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String detail =
        e instanceof BadCredentialsException
            ? "The API key is unknown or revoked"
            : "An API key is required: Authorization: Bearer";
    response.setHeader("WWW-Authenticate", "Bearer realm=\"ems\"");
    write(response, ErrorCode.UNAUTHENTICATED, detail);
  }

  /**
   * A credential that could not be checked is not a wrong one: a lookup that failed for lack of
   * capacity (the key's table behind an exhausted pool, the identity provider's keys unreachable)
   * is a 503 with Retry-After; any other failure of the check an internal error.
   */
  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException, ServletException {
    if (e instanceof AuthenticationServiceException) {
      if (!Problems.isBusy(e)) {
        throw e;
      }
      log.warn(
          "request refused: its credential could not be checked: {}", String.valueOf(e.getCause()));
      response.setHeader("Retry-After", Problems.RETRY_AFTER_SECONDS);
      write(response, ErrorCode.SERVICE_UNAVAILABLE, Problems.busy().getDetail());
      return;
    }
    commence(request, response, e);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(response, ErrorCode.FORBIDDEN, "The API key's role does not allow this operation");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
      throws IOException {
    write(response, ErrorCode.MALFORMED_REQUEST, "The request path is not allowed");
  }

  private void write(HttpServletResponse response, ErrorCode code, String detail)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.setStatus(code.status());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), Problems.of(code, detail));
  }
}
