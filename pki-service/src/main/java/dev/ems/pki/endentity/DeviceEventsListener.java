package dev.ems.pki.endentity;

import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Device end entities exist only because the inventory created the device: a device SC creates
 * becomes an end entity of its tenant (kind DEVICE, name = device id, {@code CN=<device
 * id>,O=<tenant>}, profile {@code device}); a new serial (RMA) revokes the old hardware's
 * certificates (superseded); a decommissioned device's end entity is deleted, which revokes its
 * certificates (cessationOfOperation); a bootstrap token's hash and expiry are kept for enrollment
 * to check. Idempotent.
 */
@Component
class DeviceEventsListener {

  static final String PROFILE = "device";

  private final EventReader events;
  private final EndEntityService service;
  private final EndEntities entities;

  DeviceEventsListener(EventReader events, EndEntityService service, EndEntities entities) {
    this.events = events;
    this.service = service;
    this.entities = entities;
  }

  @KafkaListener(topics = Topics.SC_DEVICES)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, DeviceCreated.class)) {
      var event = events.decode(record, DeviceCreated.class);
      var d = event.payload();
      service.deviceCreated(event.tenant(), d.deviceId(), d.serial(), d.createdAt());
    } else if (events.is(record, DeviceUpdated.class)) {
      var event = events.decode(record, DeviceUpdated.class);
      var d = event.payload();
      service.deviceUpdated(event.tenant(), d.deviceId(), d.serial(), d.updatedAt());
    } else if (events.is(record, BootstrapTokenIssued.class)) {
      var event = events.decode(record, BootstrapTokenIssued.class);
      var t = event.payload();
      service.bootstrapTokenIssued(
          event.tenant(), t.deviceId(), t.tokenSha256(), t.issuedAt(), t.expiresAt());
    } else if (events.is(record, DeviceDecommissioned.class)) {
      var event = events.decode(record, DeviceDecommissioned.class);
      String name = event.payload().deviceId().toString();
      if (entities.findActiveDevice(event.tenant(), name).isPresent()) {
        service.delete(event.tenant(), name);
      }
    }
  }
}
