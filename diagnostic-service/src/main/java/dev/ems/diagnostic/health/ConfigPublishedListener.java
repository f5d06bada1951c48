package dev.ems.diagnostic.health;

import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The version SC published is the one a device should run (its config state compares to it). */
@Component
class ConfigPublishedListener {

  private final EventReader events;
  private final HealthService health;

  ConfigPublishedListener(EventReader events, HealthService health) {
    this.events = events;
    this.health = health;
  }

  @KafkaListener(topics = Topics.SC_CONFIGS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigPublished.class)) {
      var event = events.decode(record, ConfigPublished.class);
      ConfigPublished p = event.payload();
      health.apply(
          event.tenant(),
          p.deviceId(),
          "config-published",
          s -> s.withConfig(s.config().published(p.version(), p.sha256())));
    }
  }
}
