package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebFlux counterpart of {@link ProblemHandler}: every error of a reactive service leaves as an
 * RFC 9457 problem with a stable {@code code}; no stack trace reaches a client. Each problem is
 * counted as {@code ems.http.problems{code, status}}: device-api has no per-request observation (it
 * cost a tenth of the config fetch), so this is how refusals (401, 429, ...) show in the metrics.
 */
@Order(-2)
public class ReactiveProblemHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ReactiveProblemHandler.class);

  private final JsonMapper json;
  private final MeterRegistry meters;

  /** By problem code: a flood of refusals looks its counter up, never registers it again. */
  private final ConcurrentHashMap<String, Counter> problems = new ConcurrentHashMap<>();

  public ReactiveProblemHandler(JsonMapper json, ObjectProvider<MeterRegistry> meters) {
    this.json = json;
    this.meters = meters.getIfAvailable();
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(ex);
    }
    ProblemDetail problem = toProblem(ex);
    count(problem);
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (problem.getStatus() == 503 || problem.getStatus() == 429) {
      response.getHeaders().set("Retry-After", Problems.RETRY_AFTER_SECONDS);
    }
    DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsBytes(problem));
    return response.writeWith(Mono.just(buffer));
  }

  private void count(ProblemDetail problem) {
    if (meters == null) {
      return;
    }
    var properties = problem.getProperties();
    String code = properties == null ? "unknown" : String.valueOf(properties.get("code"));
    problems
        .computeIfAbsent(
            code,
            c ->
                Counter.builder("ems.http.problems")
                    .description("Requests answered with a problem, by its code")
                    .tag("code", c)
                    .tag("status", Integer.toString(problem.getStatus()))
                    .register(meters))
        .increment();
  }

  public static ProblemDetail toProblem(Throwable ex) {
    if (ex instanceof EmsException e) {
      return Problems.of(e.code(), e.getMessage(), e.field());
    }
    if (ex instanceof ServerWebInputException e) {
      return Problems.of(ErrorCode.MALFORMED_REQUEST, e.getReason());
    }
    if (ex instanceof ResponseStatusException e) {
      ErrorCode code = Problems.codeFor(e.getStatusCode().value());
      return Problems.of(code, e.getReason() == null ? code.title() : e.getReason());
    }
    if (Problems.isBusy(ex)) {
      // the pool is exhausted under load (an enrollment storm, issue 18): come back, not a 500;
      // the same rule as the servlet ProblemHandler
      log.warn("request failed for lack of database capacity: {}", ex.toString());
      return Problems.busy();
    }
    log.error("unhandled error", ex);
    return Problems.of(ErrorCode.INTERNAL_ERROR, "An internal error occurred");
  }
}
