package dev.ems.tw.system;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.Problems;
import java.util.List;

/**
 * A request rejected for several fields at once (e.g. every JSON Schema violation of a feature's
 * parameters), so the client can fix them all in one round trip; {@code field} is the first.
 */
public class InvalidFieldsException extends EmsException {

  private final List<Problems.FieldError> errors;

  public InvalidFieldsException(ErrorCode code, String detail, List<Problems.FieldError> errors) {
    super(code, detail, errors.isEmpty() ? null : errors.getFirst().field());
    this.errors = List.copyOf(errors);
  }

  public List<Problems.FieldError> errors() {
    return errors;
  }
}
