package dev.ems.platform.outbox;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EncodedEvent;
import dev.ems.common.envelope.EventEnvelope;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to the outbox table in the caller's transaction, so an event exists exactly when
 * the state change it describes was committed. {@link OutboxRelay} moves them to Kafka.
 *
 * <p>Each row keeps the W3C trace context of the transaction that wrote it (an operator request, a
 * consumed event): the relay sends it on a background thread, long after that context is gone, as
 * the CloudEvents distributed-tracing extension, so one trace follows a change across services.
 */
public class Outbox {

  private final JdbcClient jdbc;
  private final CloudEventCodec codec;
  private final JsonMapper json;
  private final OutboxRelay relay;
  private final RecordSizes sizes;

  Outbox(
      JdbcClient jdbc,
      CloudEventCodec codec,
      JsonMapper json,
      OutboxRelay relay,
      RecordSizes sizes) {
    this.sizes = sizes;
    this.jdbc = jdbc;
    this.codec = codec;
    this.json = json;
    this.relay = relay;
  }

  /**
   * Appends an event for {@code topic}; must run inside a transaction. Throws {@link
   * EventTooLargeException} for an event Kafka's producer would refuse as too large, so that no
   * state change commits with an event that can never be delivered.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void append(String topic, EventEnvelope<?> event) {
    EncodedEvent encoded = codec.encode(event);
    sizes.check(topic, encoded);
    Map<String, String> headers = new LinkedHashMap<>();
    encoded.headers().forEach((k, v) -> headers.put(k, new String(v, StandardCharsets.UTF_8)));
    Map<String, String> trace = new LinkedHashMap<>(2);
    W3CTraceContextPropagator.getInstance().inject(Context.current(), trace, Map::put);
    jdbc.sql(
            "insert into outbox_event (topic, record_key, headers, payload, traceparent,"
                + " tracestate) values (?, ?, ?::jsonb, ?, ?, ?)")
        .params(
            topic,
            encoded.key(),
            json.writeValueAsString(headers),
            encoded.value(),
            trace.get("traceparent"),
            trace.get("tracestate"))
        .update();
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wakeUp();
          }
        });
  }
}
