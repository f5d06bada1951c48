package dev.ems.device.inventory;

import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.device.system.Replica;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** SC's inventory events → device-api's directory. Every handler is idempotent. */
@Component
class DeviceEventsListener {

  private final EventReader events;
  private final DeviceDirectory directory;

  DeviceEventsListener(EventReader events, DeviceDirectory directory) {
    this.events = events;
    this.directory = directory;
  }

  @KafkaListener(topics = Topics.SC_DEVICES, groupId = Replica.CACHE_GROUP)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, DeviceCreated.class)) {
      var e = events.decode(record, DeviceCreated.class);
      directory.created(e.payload().deviceId(), e.tenant(), e.payload().serial());
    } else if (events.is(record, DeviceUpdated.class)) {
      var e = events.decode(record, DeviceUpdated.class);
      directory.serialChanged(e.payload().deviceId(), e.tenant(), e.payload().serial());
    } else if (events.is(record, BootstrapTokenIssued.class)) {
      var e = events.decode(record, BootstrapTokenIssued.class);
      var t = e.payload();
      directory.tokenIssued(
          t.deviceId(), e.tenant(), t.serial(), t.tokenSha256(), t.expiresAt(), t.issuedAt());
    } else if (events.is(record, DeviceDecommissioned.class)) {
      directory.decommissioned(
          events.decode(record, DeviceDecommissioned.class).payload().deviceId());
    }
  }
}
