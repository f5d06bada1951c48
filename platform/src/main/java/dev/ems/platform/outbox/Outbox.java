package dev.ems.platform.outbox;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EncodedEvent;
import dev.ems.common.envelope.EventEnvelope;
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
 */
public class Outbox {

  private final JdbcClient jdbc;
  private final CloudEventCodec codec;
  private final JsonMapper json;
  private final OutboxRelay relay;

  Outbox(JdbcClient jdbc, CloudEventCodec codec, JsonMapper json, OutboxRelay relay) {
    this.jdbc = jdbc;
    this.codec = codec;
    this.json = json;
    this.relay = relay;
  }

  /** Appends an event for {@code topic}; must run inside a transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void append(String topic, EventEnvelope<?> event) {
    EncodedEvent encoded = codec.encode(event);
    Map<String, String> headers = new LinkedHashMap<>();
    encoded.headers().forEach((k, v) -> headers.put(k, new String(v, StandardCharsets.UTF_8)));
    jdbc.sql(
            "insert into outbox_event (topic, record_key, headers, payload)"
                + " values (?, ?, ?::jsonb, ?)")
        .params(topic, encoded.key(), json.writeValueAsString(headers), encoded.value())
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
