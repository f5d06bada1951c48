package dev.ems.sc.feature;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps SC's copy of the feature definitions (compacted topic, so a replay rebuilds it). A device
 * runs a definition only from its next render on: a new version reaches devices through their
 * feature sets (which name the version), so nothing is regenerated here.
 */
@Component
class FeatureDefinitionChangedListener {

  private final EventReader events;
  private final FeatureDefinitions definitions;
  private final FeatureParameterSchemas schemas;

  FeatureDefinitionChangedListener(
      EventReader events, FeatureDefinitions definitions, FeatureParameterSchemas schemas) {
    this.events = events;
    this.definitions = definitions;
    this.schemas = schemas;
  }

  @KafkaListener(topics = Topics.TW_FEATURE_DEFINITIONS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, FeatureDefinitionChanged.class)) {
      EventEnvelope<FeatureDefinitionChanged> event =
          events.decode(record, FeatureDefinitionChanged.class);
      definitions.store(event.tenant(), event.payload());
      schemas.store(event.tenant(), event.payload());
    }
  }
}
