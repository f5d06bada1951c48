package dev.ems.platform.audit;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records every operator write ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under
 * {@code /api/}) that reached a handler: the caller, its tenant, {@code <METHOD> <route template>},
 * the resource (the template filled with the request's path variables, or the created resource's
 * {@code Location} or {@code id}; on a 404 the bare template), the status, the request id ({@code
 * X-Request-Id}, made up when absent or odd, and echoed), the trace id, and SHA-256 digests of the
 * request body and of the response body (the resulting representation, in which secrets are already
 * masked).
 *
 * <p>The response is held back until the record is committed, so a caller never sees an outcome
 * that was not audited. The record is written in its own transaction right after the handler's:
 * services keep their own transaction boundaries (idempotent retries catch constraint violations,
 * which would abort a shared transaction). A crash between the two commits is the one way to lose a
 * record; see README "Audit".
 */
final class AuditFilter extends OncePerRequestFilter {

  static final String REQUEST_ID = "X-Request-Id";
  private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  /** How long a change's record may wait for a database that lacks capacity. */
  static final java.time.Duration AUDIT_PATIENCE = java.time.Duration.ofSeconds(30);

  private static final java.time.Duration AUDIT_RETRY_PAUSE = java.time.Duration.ofMillis(100);

  private final AuditTrail trail;
  private final JsonMapper json;

  AuditFilter(AuditTrail trail, JsonMapper json) {
    this.trail = trail;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !WRITES.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(REQUEST_ID);
    String requestId =
        header != null && SAFE_ID.matcher(header).matches() ? header : UUID.randomUUID().toString();
    response.setHeader(REQUEST_ID, requestId);
    var body = new DigestingRequest(request);
    var held = new ContentCachingResponseWrapper(response);
    try {
      chain.doFilter(body, held);
    } finally {
      audit(request, body, held, requestId);
      held.copyBodyToResponse();
    }
  }

  private void audit(
      HttpServletRequest request,
      DigestingRequest body,
      ContentCachingResponseWrapper response,
      String requestId)
      throws IOException {
    var authentication = SecurityContextHolder.getContext().getAuthentication();
    Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    if (authentication == null
        || !(authentication.getPrincipal() instanceof Caller caller)
        || !(route instanceof String template)) {
      return; // no operator, or no handler took it: nothing was written
    }
    byte[] representation = response.getContentAsByteArray();
    var entry =
        new AuditEntry(
            caller.tenant(),
            AuditEntry.Actor.operator(caller),
            request.getMethod() + " " + template,
            resource(request, template, response, representation),
            response.getStatus(),
            requestId,
            Traces.currentTraceId(),
            body.digest(),
            AuditChain.digest(representation));
    try {
      record(entry, response.getStatus());
    } catch (RuntimeException e) {
      if (response.getStatus() >= 400 && Problems.isBusy(e)) {
        // a refusal (often itself for lack of capacity: the pool it waits for again here) changed
        // nothing that a record would miss; it stays what it was, not a 500 (issue 18's run)
        log.warn(
            "audit record of refused {} {} ({}) not written: {}",
            entry.action(),
            requestId,
            response.getStatus(),
            e.toString());
        return;
      }
      log.error("audit record of {} {} not written", entry.action(), requestId, e);
      response.resetBuffer();
      response.setStatus(500);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      json.writeValue(
          response.getOutputStream(),
          Problems.of(
              ErrorCode.INTERNAL_ERROR,
              "The request was processed but could not be audited; request id " + requestId));
    }
  }

  /**
   * Writes the record. A write that took effect waits for it while the database only lacks capacity
   * (its pool exhausted by a burst: the record waits in line behind new requests), up to {@link
   * #AUDIT_PATIENCE}: its caller must not be told 500 for a change that was made; a refusal is
   * tried once.
   */
  private void record(AuditEntry entry, int status) {
    long deadline = System.nanoTime() + AUDIT_PATIENCE.toNanos();
    while (true) {
      try {
        trail.record(entry);
        return;
      } catch (RuntimeException e) {
        if (status >= 400 || !Problems.isBusy(e) || System.nanoTime() - deadline > 0) {
          throw e;
        }
        log.warn("audit record of {} waits for the database: {}", entry.action(), e.toString());
        try {
          Thread.sleep(AUDIT_RETRY_PAUSE);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private String resource(
      HttpServletRequest request,
      String template,
      ContentCachingResponseWrapper response,
      byte[] representation) {
    @SuppressWarnings("unchecked")
    var variables =
        (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    if (response.getStatus() == 404) {
      // nothing of the caller's tenant by those ids: the ids may be another tenant's, whose
      // existence this tenant must not learn, not even from its own trail
      return template;
    }
    String path =
        UriComponentsBuilder.fromPath(template)
            .buildAndExpand(variables == null ? Map.of() : variables)
            .toUriString();
    String location = response.getHeader("Location");
    if (location != null) {
      try {
        return URI.create(location).getPath();
      } catch (IllegalArgumentException e) {
        return path;
      }
    }
    if ("POST".equals(request.getMethod())
        && (variables == null || variables.isEmpty())
        && response.getStatus() / 100 == 2
        && response.getContentType() != null
        && response.getContentType().contains("json")
        && representation.length > 0) {
      try {
        JsonNode id = json.readTree(representation).get("id");
        if (id != null && id.isString()) {
          return path + "/" + id.asString();
        }
      } catch (RuntimeException e) {
        return path;
      }
    }
    return path;
  }
}
