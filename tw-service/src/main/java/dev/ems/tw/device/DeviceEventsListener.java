package dev.ems.tw.device;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Keeps the device read model current from SC's inventory events; skips other event types. */
@Component
class DeviceEventsListener {

  private final EventReader events;
  private final DeviceDirectory directory;

  DeviceEventsListener(EventReader events, DeviceDirectory directory) {
    this.events = events;
    this.directory = directory;
  }

  @KafkaListener(topics = Topics.SC_DEVICES)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, DeviceCreated.class)) {
      EventEnvelope<DeviceCreated> e = events.decode(record, DeviceCreated.class);
      directory.created(e.tenant(), e.payload());
    } else if (events.is(record, DeviceUpdated.class)) {
      EventEnvelope<DeviceUpdated> e = events.decode(record, DeviceUpdated.class);
      directory.updated(e.tenant(), e.payload());
    } else if (events.is(record, DeviceDecommissioned.class)) {
      EventEnvelope<DeviceDecommissioned> e = events.decode(record, DeviceDecommissioned.class);
      directory.decommissioned(e.tenant(), e.payload());
    }
  }
}
