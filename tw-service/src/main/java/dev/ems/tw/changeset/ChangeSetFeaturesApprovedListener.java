package dev.ems.tw.changeset;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ChangeSetFeaturesApproved;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Applies the feature changes of SC's approved change sets to the devices' feature sets. */
@Component
class ChangeSetFeaturesApprovedListener {

  private final EventReader events;
  private final ChangeSetFeatures features;

  ChangeSetFeaturesApprovedListener(EventReader events, ChangeSetFeatures features) {
    this.events = events;
    this.features = features;
  }

  @KafkaListener(topics = Topics.SC_CHANGE_SETS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ChangeSetFeaturesApproved.class)) {
      EventEnvelope<ChangeSetFeaturesApproved> event =
          events.decode(record, ChangeSetFeaturesApproved.class);
      features.apply(event.tenant(), event.payload());
    }
  }
}
