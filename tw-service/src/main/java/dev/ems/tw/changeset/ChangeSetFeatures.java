package dev.ems.tw.changeset;

import dev.ems.common.event.ChangeSetFeaturesApproved;
import dev.ems.platform.web.EmsException;
import dev.ems.tw.devicefeature.DeviceFeatureService;
import dev.ems.tw.devicefeature.DeviceFeatureService.Change;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Applies a change set's feature changes for one device, in their order, through the same checks an
 * operator's change takes (schema, dependencies, conflicts), as one change of its feature set (one
 * revision, one version rendered by SC). Idempotent: an ENABLE with the params the device already
 * runs, or a DISABLE of a feature it does not run, changes nothing, so a redelivered event makes no
 * new revision. A refused change is logged and skipped: SC, which checked the parameters when the
 * set was staged, ends the device FAILED when no version follows.
 */
@Service
class ChangeSetFeatures {

  private static final Logger log = LoggerFactory.getLogger(ChangeSetFeatures.class);

  private final DeviceFeatureService service;

  ChangeSetFeatures(DeviceFeatureService service) {
    this.service = service;
  }

  void apply(String tenant, ChangeSetFeaturesApproved event) {
    List<Change> changes =
        event.changes().stream()
            .map(c -> new Change(c.featureKey(), !"DISABLE".equals(c.action()), c.params()))
            .toList();
    try {
      for (var refused : service.applyAll(tenant, event.deviceId(), changes).refused()) {
        log.warn(
            "change set {}: {} of feature {} on device {} refused ({}): {}",
            event.changeSetId(),
            refused.change().enable() ? "ENABLE" : "DISABLE",
            refused.change().key(),
            event.deviceId(),
            refused.reason().code().code(),
            refused.reason().getMessage());
      }
    } catch (EmsException e) {
      log.warn(
          "change set {}: device {} refused its feature changes ({}): {}",
          event.changeSetId(),
          event.deviceId(),
          e.code().code(),
          e.getMessage());
    }
  }
}
