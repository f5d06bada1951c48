package dev.ems.platform.outbox;

/**
 * An event whose Kafka record would exceed the producer's record limit ({@code max.request.size}):
 * the relay could never deliver it, so {@link Outbox#append} refuses it inside the caller's
 * transaction — the state change it describes is rolled back with it instead of committing and then
 * being set aside undelivered.
 */
public class EventTooLargeException extends RuntimeException {

  /** Stable code a caller may record with the failure. */
  public static final String CODE = "event-too-large";

  private final long bytes;
  private final long limit;

  EventTooLargeException(String topic, long bytes, long limit) {
    super(
        "the %s event would be a Kafka record of %d bytes, more than the record limit of %d bytes"
            .formatted(topic, bytes, limit));
    this.bytes = bytes;
    this.limit = limit;
  }

  /** The record's size as Kafka's producer estimates it, with room for the trace headers. */
  public long bytes() {
    return bytes;
  }

  /** The producer's record limit in bytes. */
  public long limit() {
    return limit;
  }
}
