package dev.ems.common.envelope;

/** A record is not a valid EMS CloudEvent; retrying it cannot help. */
public class EventDecodingException extends RuntimeException {

  public EventDecodingException(String message) {
    super(message);
  }

  public EventDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
