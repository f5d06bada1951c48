package dev.ems.diagnostic.health;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Every device in the inventory gets a health record, UNKNOWN until it reports. */
@Component
class DeviceCreatedListener {

  private final EventReader events;
  private final DeviceStates store;

  DeviceCreatedListener(EventReader events, DeviceStates store) {
    this.events = events;
    this.store = store;
  }

  @KafkaListener(topics = Topics.SC_DEVICES)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, DeviceCreated.class)) {
      EventEnvelope<DeviceCreated> event = events.decode(record, DeviceCreated.class);
      store.register(
          event.tenant(), event.payload().deviceId(), event.payload().serial(), event.time());
    }
  }
}
