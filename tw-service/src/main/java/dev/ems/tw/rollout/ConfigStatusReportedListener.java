package dev.ems.tw.rollout;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Devices' APPLIED / FAILED reports drive rollout waves; other report types are skipped. */
@Component
class ConfigStatusReportedListener {

  private final EventReader events;
  private final RolloutProgress progress;

  ConfigStatusReportedListener(EventReader events, RolloutProgress progress) {
    this.events = events;
    this.progress = progress;
  }

  @KafkaListener(topics = Topics.DEVICE_REPORTS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigStatusReported.class)) {
      EventEnvelope<ConfigStatusReported> e = events.decode(record, ConfigStatusReported.class);
      progress.reported(e.tenant(), e.payload());
    }
  }
}
