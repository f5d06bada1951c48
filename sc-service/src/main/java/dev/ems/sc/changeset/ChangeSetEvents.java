package dev.ems.sc.changeset;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ChangeSetFeaturesApproved;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Hands a device's approved feature changes to tw-service (outbox, with the state change). */
@Component
class ChangeSetEvents {

  private final Outbox outbox;

  ChangeSetEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  void featuresApproved(
      String tenant,
      UUID changeSetId,
      UUID deviceId,
      List<ChangeSetFeaturesApproved.FeatureChange> changes,
      Instant approvedAt) {
    outbox.append(
        Topics.SC_CHANGE_SETS,
        EventEnvelope.of(
            "/sc-service/change-sets",
            tenant,
            deviceId.toString(),
            new ChangeSetFeaturesApproved(changeSetId, deviceId, changes, approvedAt)));
  }
}
