package dev.ems.platform.security;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ApiKeyIssued;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Keeps this service's copy of the operator API keys current from the compacted key topic, so every
 * service authenticates locally. Idempotent: the same event twice changes nothing.
 */
class ApiKeyIssuedListener {

  private final ApiKeys keys;
  private final EventReader events;

  ApiKeyIssuedListener(ApiKeys keys, EventReader events) {
    this.keys = keys;
    this.events = events;
  }

  @KafkaListener(topics = Topics.SC_API_KEYS, id = "${spring.application.name}-api-keys")
  void on(ConsumerRecord<String, byte[]> record) {
    if (!events.is(record, ApiKeyIssued.class)) {
      return;
    }
    EventEnvelope<ApiKeyIssued> event = events.decode(record, ApiKeyIssued.class);
    ApiKeyIssued key = event.payload();
    keys.upsert(
        key.keyId(),
        event.tenant(),
        key.name(),
        key.keyHash(),
        Role.valueOf(key.role()),
        key.issuedAt(),
        key.revokedAt());
  }
}
