package dev.ems.pki.signing;

import dev.ems.common.event.ConfigSigningKeyRequested;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** sc-service's requests to certify config-signing keys. */
@Component
class ConfigSigningListener {

  private final EventReader events;
  private final ConfigSigningService service;

  ConfigSigningListener(EventReader events, ConfigSigningService service) {
    this.events = events;
    this.service = service;
  }

  @KafkaListener(topics = Topics.SC_CONFIG_SIGNING)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigSigningKeyRequested.class)) {
      var event = events.decode(record, ConfigSigningKeyRequested.class);
      service.keyRequested(event.tenant(), event.payload());
    }
  }
}
