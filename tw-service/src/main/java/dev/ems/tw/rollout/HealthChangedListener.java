package dev.ems.tw.rollout;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Health drops of devices a rollout still watches roll them back. */
@Component
class HealthChangedListener {

  private final EventReader events;
  private final HealthRollbacks rollbacks;

  HealthChangedListener(EventReader events, HealthRollbacks rollbacks) {
    this.events = events;
    this.rollbacks = rollbacks;
  }

  @KafkaListener(topics = Topics.DIAG_HEALTH)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, HealthChanged.class)) {
      EventEnvelope<HealthChanged> e = events.decode(record, HealthChanged.class);
      rollbacks.changed(e.tenant(), e.payload());
    }
  }
}
