package dev.ems.device.command;

import dev.ems.common.event.DeviceCommandRequested;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Diagnostics' commands wait here for the device's next heartbeat. */
@Component
class DeviceCommandListener {

  private final EventReader events;
  private final PendingCommands commands;

  DeviceCommandListener(EventReader events, PendingCommands commands) {
    this.events = events;
    this.commands = commands;
  }

  @KafkaListener(topics = Topics.DIAG_COMMANDS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, DeviceCommandRequested.class)) {
      var event = events.decode(record, DeviceCommandRequested.class);
      var c = event.payload();
      commands.add(
          c.commandId(), c.deviceId(), event.tenant(), c.type(), c.parameters(), c.expiresAt());
    }
  }
}
