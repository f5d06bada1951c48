package dev.ems.common.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: context attributes in {@code ce_*}
 * headers, the payload record as JSON in the value. Unknown payload fields are ignored so that
 * contracts can grow additively.
 */
public final class CloudEventCodec {

  public static final String SPEC_VERSION = "1.0";
  public static final String H_SPEC_VERSION = "ce_specversion";
  public static final String H_ID = "ce_id";
  public static final String H_TYPE = "ce_type";
  public static final String H_SOURCE = "ce_source";
  public static final String H_TIME = "ce_time";
  public static final String H_SUBJECT = "ce_subject";
  public static final String H_TENANT = "ce_tenant";

  /**
   * CloudEvents distributed-tracing extension: the W3C trace context of the transaction that wrote
   * the event. Set by the outbox relay, not by {@link #encode}; consumers resume the trace from it.
   */
  public static final String H_TRACEPARENT = "ce_traceparent";

  public static final String H_TRACESTATE = "ce_tracestate";
  public static final String H_CONTENT_TYPE = "content-type";
  public static final String JSON = "application/json";

  private final JsonMapper json;

  public CloudEventCodec() {
    this(
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build());
  }

  public CloudEventCodec(JsonMapper json) {
    this.json = json;
  }

  public EncodedEvent encode(EventEnvelope<?> event) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    put(headers, H_SPEC_VERSION, SPEC_VERSION);
    put(headers, H_ID, event.id());
    put(headers, H_TYPE, event.type());
    put(headers, H_SOURCE, event.source());
    put(headers, H_TIME, event.time().toString());
    put(headers, H_SUBJECT, event.subject());
    put(headers, H_TENANT, event.tenant());
    put(headers, H_CONTENT_TYPE, JSON);
    return new EncodedEvent(event.subject(), headers, json.writeValueAsBytes(event.payload()));
  }

  /** Decodes a record whose {@code ce_type} must be the one of {@code payloadType}. */
  public <T> EventEnvelope<T> decode(
      Map<String, byte[]> headers, byte[] value, Class<T> payloadType) {
    String type = required(headers, H_TYPE);
    if (!type.equals(EventEnvelope.typeOf(payloadType))) {
      throw new EventDecodingException(
          "expected type " + EventEnvelope.typeOf(payloadType) + " but was " + type);
    }
    return decodeAs(headers, value, payloadType);
  }

  /** The {@code ce_type} of a record, or null when it has none. */
  public String typeOf(Map<String, byte[]> headers) {
    byte[] type = headers.get(H_TYPE);
    return type == null ? null : new String(type, StandardCharsets.UTF_8);
  }

  private <T> EventEnvelope<T> decodeAs(
      Map<String, byte[]> headers, byte[] value, Class<T> payloadType) {
    String specVersion = required(headers, H_SPEC_VERSION);
    if (!SPEC_VERSION.equals(specVersion)) {
      throw new EventDecodingException("unsupported CloudEvents specversion " + specVersion);
    }
    if (value == null || value.length == 0) {
      throw new EventDecodingException("record has no payload");
    }
    T payload;
    try {
      payload = json.readValue(value, payloadType);
    } catch (JacksonException e) {
      throw new EventDecodingException("payload is not a valid " + payloadType.getSimpleName(), e);
    }
    try {
      return new EventEnvelope<>(
          required(headers, H_ID),
          required(headers, H_TYPE),
          required(headers, H_SOURCE),
          Instant.parse(required(headers, H_TIME)),
          required(headers, H_SUBJECT),
          required(headers, H_TENANT),
          payload);
    } catch (DateTimeParseException e) {
      throw new EventDecodingException("ce_time is not an RFC 3339 timestamp", e);
    }
  }

  private static void put(Map<String, byte[]> headers, String name, String value) {
    headers.put(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String required(Map<String, byte[]> headers, String name) {
    byte[] value = headers.get(name);
    if (value == null || value.length == 0) {
      throw new EventDecodingException("missing header " + name);
    }
    return new String(value, StandardCharsets.UTF_8);
  }
}
