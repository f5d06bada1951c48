package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * RFC 9457 problem with a stable {@code code}; no stack trace reaches a client.
 */
@Order(-2)
public class ReactiveProblemHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ReactiveProblemHandler.class);

  private final JsonMapper json;

  public ReactiveProblemHandler(JsonMapper json) {
    this.json = json;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(ex);
    }
    ProblemDetail problem = toProblem(ex);
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (problem.getStatus() == 503 || problem.getStatus() == 429) {
      response.getHeaders().set("Retry-After", "2");
    }
    DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsBytes(problem));
    return response.writeWith(Mono.just(buffer));
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
    log.error("unhandled error", ex);
    return Problems.of(ErrorCode.INTERNAL_ERROR, "An internal error occurred");
  }
}
