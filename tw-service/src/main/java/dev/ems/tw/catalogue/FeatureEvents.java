package dev.ems.tw.catalogue;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Publishes catalogue changes on the compacted definitions topic, keyed {@code
 * <tenant>/<key>/<version>}: compaction keeps every version, since a device's feature set names the
 * version it runs and SC renders that one, also after the catalogue moved on. A removal is
 * published under the key of the version removed.
 */
@Component
class FeatureEvents {

  private static final String SOURCE = "/tw-service/features";

  private final Outbox outbox;

  FeatureEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  void changed(Feature f, Instant at) {
    append(f, false, at);
  }

  void deleted(Feature f, Instant at) {
    append(f, true, at);
  }

  private void append(Feature f, boolean deleted, Instant at) {
    outbox.append(
        Topics.TW_FEATURE_DEFINITIONS,
        EventEnvelope.of(
            SOURCE,
            f.tenant(),
            f.tenant() + "/" + f.key() + "/" + f.version(),
            new FeatureDefinitionChanged(
                f.key(),
                f.version(),
                f.description(),
                f.parametersSchema(),
                f.templates(),
                f.dependsOn(),
                f.conflictsWith(),
                deleted,
                at,
                f.fragments())));
  }
}
