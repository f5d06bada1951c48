package dev.ems.sc.inventory;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Announces inventory changes on {@code ems.sc.devices.v1}, in the changing transaction. */
@Component
class DeviceEvents {

  private static final String SOURCE = "/sc-service/devices";

  private final Outbox outbox;

  DeviceEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  void created(Device d) {
    publish(d, new DeviceCreated(d.id(), d.serial(), d.model(), d.name(), d.createdAt()));
  }

  void updated(Device d) {
    publish(
        d,
        new DeviceUpdated(
            d.id(), d.serial(), d.model(), d.name(), d.siteId(), d.tags(), d.updatedAt()));
  }

  void tokenIssued(Device d, String tokenHash, Instant expiresAt) {
    publish(
        d, new BootstrapTokenIssued(d.id(), d.serial(), tokenHash, d.tokenIssuedAt(), expiresAt));
  }

  void decommissioned(Device d) {
    publish(d, new DeviceDecommissioned(d.id(), d.serial(), d.updatedAt()));
  }

  private void publish(Device d, Object payload) {
    outbox.append(
        Topics.SC_DEVICES, EventEnvelope.of(SOURCE, d.tenant(), d.id().toString(), payload));
  }
}
