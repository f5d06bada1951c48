package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;

/**
 * A failure the client caused or must know about; rendered as an RFC 9457 problem with the stable
 * {@code code} and, where one field is to blame, its name in {@code field}.
 */
public class EmsException extends RuntimeException {

  private final ErrorCode code;
  private final String field;

  public EmsException(ErrorCode code, String detail) {
    this(code, detail, null);
  }

  public EmsException(ErrorCode code, String detail, String field) {
    super(detail);
    this.code = code;
    this.field = field;
  }

  public ErrorCode code() {
    return code;
  }

  public String field() {
    return field;
  }

  public static EmsException notFound(ErrorCode code, Object id) {
    return new EmsException(code, code.title() + ": " + id);
  }
}
