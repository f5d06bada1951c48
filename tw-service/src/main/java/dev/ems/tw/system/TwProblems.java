package dev.ems.tw.system;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders {@link InvalidFieldsException} with all its errors; runs before the platform's handler,
 * which would otherwise list only the first field.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class TwProblems {

  @ExceptionHandler(InvalidFieldsException.class)
  ResponseEntity<ProblemDetail> invalidFields(InvalidFieldsException e) {
    ProblemDetail problem =
        dev.ems.platform.web.Problems.ofFields(e.code(), e.getMessage(), e.errors());
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }
}
