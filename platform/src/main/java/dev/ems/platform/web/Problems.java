package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.kafka.TransientFailures;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details that always carry the stable {@code code}. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(ErrorCode code, String detail) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail);
    problem.setType(URI.create(code.typeUri()));
    problem.setTitle(code.title());
    problem.setProperty("code", code.code());
    return problem;
  }

  public static ProblemDetail of(ErrorCode code, String detail, String field) {
    ProblemDetail problem = of(code, detail);
    if (field != null) {
      problem.setProperty("field", field);
      problem.setProperty("errors", List.of(new FieldError(field, detail)));
    }
    return problem;
  }

  public static ProblemDetail ofFields(ErrorCode code, String detail, List<FieldError> errors) {
    ProblemDetail problem = of(code, detail);
    if (!errors.isEmpty()) {
      problem.setProperty("field", errors.getFirst().field());
      problem.setProperty("errors", errors);
    }
    return problem;
  }

  /** Seconds a client is told to wait before it tries a refused-as-busy request again. */
  public static final String RETRY_AFTER_SECONDS = "2";

  /**
   * The answer to a request refused for lack of capacity (503 with {@link #RETRY_AFTER_SECONDS}):
   * nothing was changed, the same request may be sent again.
   */
  public static ProblemDetail busy() {
    return of(ErrorCode.SERVICE_UNAVAILABLE, "Busy; retry shortly");
  }

  /**
   * Whether a request failed for lack of capacity, so that nothing was changed and the client may
   * come back: the database's pool exhausted or the database unreachable, a lock or statement
   * timeout, a serialization failure or deadlock (everything {@link TransientFailures} calls
   * transient), however it is wrapped (Hibernate, a {@code CompletionException}, Spring Security's
   * {@code AuthenticationServiceException}). Not a commit or rollback that failed ({@code
   * TransactionSystemException}): its outcome is unknown, so it stays an internal error.
   */
  public static boolean isBusy(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof org.springframework.transaction.TransactionSystemException) {
        return false;
      }
    }
    return TransientFailures.isTransient(failure);
  }

  /** One offending field: its JSON path in the request, and what is wrong with it. */
  public record FieldError(String field, String message) {}

  /** The code that stands for an HTTP status the framework decided on. */
  public static ErrorCode codeFor(int status) {
    return switch (status) {
      case 400 -> ErrorCode.INVALID_PARAMETER;
      case 401 -> ErrorCode.UNAUTHENTICATED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 406 -> ErrorCode.NOT_ACCEPTABLE;
      case 409 -> ErrorCode.CONFLICT;
      case 412 -> ErrorCode.PRECONDITION_FAILED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 422 -> ErrorCode.VALIDATION_FAILED;
      case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
      default -> ErrorCode.INTERNAL_ERROR;
    };
  }
}
