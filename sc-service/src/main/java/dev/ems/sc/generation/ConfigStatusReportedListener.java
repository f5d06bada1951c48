package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Devices' apply reports (via device-api) → apply status per version and out-of-sync flags. */
@Component
class ConfigStatusReportedListener {

  private final EventReader events;
  private final ApplyStatusService applyStatus;

  ConfigStatusReportedListener(EventReader events, ApplyStatusService applyStatus) {
    this.events = events;
    this.applyStatus = applyStatus;
  }

  @KafkaListener(topics = Topics.DEVICE_REPORTS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigStatusReported.class)) {
      EventEnvelope<ConfigStatusReported> event = events.decode(record, ConfigStatusReported.class);
      applyStatus.record(event.tenant(), event.payload());
    }
  }
}
