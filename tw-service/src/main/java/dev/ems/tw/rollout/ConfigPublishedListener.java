package dev.ems.tw.rollout;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Versions SC publishes tell rollouts which version their devices must report applying. */
@Component
class ConfigPublishedListener {

  private final EventReader events;
  private final RolloutProgress progress;

  ConfigPublishedListener(EventReader events, RolloutProgress progress) {
    this.events = events;
    this.progress = progress;
  }

  @KafkaListener(topics = Topics.SC_CONFIGS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigPublished.class)) {
      EventEnvelope<ConfigPublished> e = events.decode(record, ConfigPublished.class);
      progress.published(e.tenant(), e.payload());
    }
  }
}
