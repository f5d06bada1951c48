package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Every error leaves an EMS service as an RFC 9457 problem with a stable {@code code}; validation
 * errors name the offending field; no stack trace ever reaches a client.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10)
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(EmsException.class)
  ResponseEntity<ProblemDetail> handleEms(EmsException e) {
    return respond(Problems.of(e.code(), e.getMessage(), e.field()));
  }

  /**
   * The database is unreachable or its pool is exhausted under load: tell the client to come back
   * instead of failing with a 500.
   */
  @ExceptionHandler({
    org.springframework.transaction.CannotCreateTransactionException.class,
    org.springframework.dao.DataAccessResourceFailureException.class,
    org.springframework.dao.TransientDataAccessException.class
  })
  ResponseEntity<ProblemDetail> handleUnavailable(Exception e) {
    return busy(e);
  }

  static ResponseEntity<ProblemDetail> busy(Exception e) {
    log.warn("request failed for lack of database capacity: {}", e.toString());
    return ResponseEntity.status(503)
        .header(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS)
        .body(Problems.busy());
  }

  /** A change whose event Kafka could never carry was rolled back (issue 16). */
  @ExceptionHandler(dev.ems.platform.outbox.EventTooLargeException.class)
  ResponseEntity<ProblemDetail> handleEventTooLarge(
      dev.ems.platform.outbox.EventTooLargeException e) {
    return respond(Problems.of(ErrorCode.EVENT_TOO_LARGE, e.getMessage()));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
    if (Problems.isBusy(e)) {
      // the same lack of capacity, wrapped (Hibernate, a CompletionException, ...)
      return busy(e);
    }
    log.error("unhandled error", e);
    return respond(Problems.of(ErrorCode.INTERNAL_ERROR, "An internal error occurred"));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Problems.FieldError> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> new Problems.FieldError(f.getField(), f.getDefaultMessage()))
            .sorted(java.util.Comparator.comparing(Problems.FieldError::field))
            .toList();
    return body(
        Problems.ofFields(ErrorCode.VALIDATION_FAILED, "The request body is not valid", errors));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Problems.FieldError> errors =
        e.getParameterValidationResults().stream()
            .flatMap(
                r ->
                    r.getResolvableErrors().stream()
                        .map(
                            err ->
                                new Problems.FieldError(
                                    r.getMethodParameter().getParameterName(),
                                    err.getDefaultMessage())))
            .toList();
    return body(Problems.ofFields(ErrorCode.VALIDATION_FAILED, "A parameter is not valid", errors));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Throwable cause = e.getCause();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
        return body(Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage()));
      }
    }
    if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
      String field = StrictJson.fieldPath(bind);
      return body(
          Problems.of(
              ErrorCode.MALFORMED_REQUEST,
              "Field '" + field + "' is unknown, of the wrong type or holds a forbidden character",
              field));
    }
    String detail =
        cause instanceof JacksonException
            ? "The request body is not valid JSON"
            : "The request body is missing or unreadable";
    return body(Problems.of(ErrorCode.MALFORMED_REQUEST, detail));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem =
        body instanceof ProblemDetail p ? p : ProblemDetail.forStatus(status.value());
    ErrorCode code = Problems.codeFor(status.value());
    problem.setType(java.net.URI.create(code.typeUri()));
    problem.setProperty("code", code.code());
    return ResponseEntity.status(status).headers(headers).body(problem);
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }

  private static ResponseEntity<Object> body(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }
}
