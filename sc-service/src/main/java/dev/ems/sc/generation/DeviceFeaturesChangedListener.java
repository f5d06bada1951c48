package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps SC's copy of each device's feature set (compacted topic, so a replay rebuilds it) and
 * regenerates the device's configuration when the set changed.
 */
@Component
class DeviceFeaturesChangedListener {

  private final EventReader events;
  private final FeatureRegeneration regeneration;

  DeviceFeaturesChangedListener(EventReader events, FeatureRegeneration regeneration) {
    this.events = events;
    this.regeneration = regeneration;
  }

  @KafkaListener(topics = Topics.TW_DEVICE_FEATURES)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, DeviceFeaturesChanged.class)) {
      EventEnvelope<DeviceFeaturesChanged> event =
          events.decode(record, DeviceFeaturesChanged.class);
      regeneration.onFeaturesChanged(event.tenant(), event.payload());
    }
  }
}
