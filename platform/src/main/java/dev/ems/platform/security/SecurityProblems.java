package dev.ems.platform.security;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/** Spring Security's refusals as RFC 9457 problems with EMS's stable codes. */
final class SecurityProblems
    implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

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
