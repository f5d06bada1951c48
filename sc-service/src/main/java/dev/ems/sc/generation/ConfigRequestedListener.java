package dev.ems.sc.generation;

import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class ConfigRequestedListener {

  private final ConfigGenerationService generation;
  private final EventReader events;

  ConfigRequestedListener(ConfigGenerationService generation, EventReader events) {
    this.generation = generation;
    this.events = events;
  }

  @KafkaListener(topics = Topics.SC_CONFIG_REQUESTS, concurrency = "${sc.generation-concurrency:6}")
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigRequested.class)) {
      generation.process(events.decode(record, ConfigRequested.class).payload().requestId());
    }
  }
}
