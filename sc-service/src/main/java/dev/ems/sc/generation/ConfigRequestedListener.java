package dev.ems.sc.generation;

import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.stereotype.Component;

/**
 * The config-request queue's consumer. Its offsets are committed once per poll (not per record as
 * the platform's default): processing a request is idempotent, so a crash between processing and
 * commit only redelivers records that then change nothing, and a synchronous commit per record was
 * a tenth of the consumer's CPU and a broker round trip per request.
 */
@Component
class ConfigRequestedListener {

  private final ConfigGenerationService generation;
  private final EventReader events;

  ConfigRequestedListener(ConfigGenerationService generation, EventReader events) {
    this.generation = generation;
    this.events = events;
  }

  @KafkaListener(
      topics = Topics.SC_CONFIG_REQUESTS,
      concurrency = "${sc.generation-concurrency:6}",
      containerPostProcessor = "configRequestAcks")
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigRequested.class)) {
      generation.process(events.decode(record, ConfigRequested.class).payload().requestId());
    }
  }

  @Bean
  static ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>>
      configRequestAcks() {
    return container -> container.getContainerProperties().setAckMode(AckMode.BATCH);
  }
}
