package dev.ems.pki.endentity;

import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.Topics;
import dev.ems.pki.endentity.EndEntityRequests.CreateEndEntityRequest;
import dev.ems.platform.kafka.EventReader;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Zero-touch needs every inventory device registered with the CA before it enrolls: a device SC
 * creates becomes an end entity (name = device id, {@code CN=<device id>}, profile {@code device});
 * a decommissioned device's end entity is deleted, which revokes its certificates
 * (cessationOfOperation). Idempotent: an entity that exists already, or is gone already, is left
 * alone.
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
      String name = event.payload().deviceId().toString();
      if (entities.findActive(event.tenant(), name).isEmpty()) {
        service.create(
            event.tenant(), new CreateEndEntityRequest(name, "CN=" + name, PROFILE, List.of()));
      }
    } else if (events.is(record, DeviceDecommissioned.class)) {
      var event = events.decode(record, DeviceDecommissioned.class);
      String name = event.payload().deviceId().toString();
      if (entities.findActive(event.tenant(), name).isPresent()) {
        service.delete(event.tenant(), name);
      }
    }
  }
}
