package dev.ems.common.envelope;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event: the context attributes plus the payload record. {@code subject} is the
 * device id (also the Kafka record key), {@code tenant} the tenant extension attribute.
 */
public record EventEnvelope<T>(
    String id, String type, String source, Instant time, String subject, String tenant, T payload) {

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(payload, "payload");
  }

  /** A new event with a random id, the current time and the type derived from the payload. */
  public static <T> EventEnvelope<T> of(String source, String tenant, String subject, T payload) {
    return new EventEnvelope<>(
        UUID.randomUUID().toString(),
        typeOf(payload.getClass()),
        source,
        Instant.now(),
        subject,
        tenant,
        payload);
  }

  /** The CloudEvents type of a payload record: {@code dev.ems.} + the past-tense record name. */
  public static String typeOf(Class<?> payloadType) {
    return "dev.ems." + payloadType.getSimpleName();
  }
}
