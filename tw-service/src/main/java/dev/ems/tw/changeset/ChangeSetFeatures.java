package dev.ems.tw.changeset;

import dev.ems.common.event.ChangeSetFeaturesApproved;
import dev.ems.platform.web.EmsException;
import dev.ems.tw.devicefeature.DeviceFeatureService;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Applies a change set's feature changes for one device, in their order, through the same checks an
 * operator's change takes (schema, dependencies, conflicts). Idempotent: an ENABLE with the params
 * the device already runs, or a DISABLE of a feature it does not run, changes nothing, so a
 * redelivered event makes no new revision. A refused change is logged and skipped: SC, which
 * checked the parameters when the set was staged, ends the device FAILED when no version follows.
 */
@Service
class ChangeSetFeatures {

  private static final Logger log = LoggerFactory.getLogger(ChangeSetFeatures.class);

  private final DeviceFeatureService service;

  ChangeSetFeatures(DeviceFeatureService service) {
    this.service = service;
  }

  void apply(String tenant, ChangeSetFeaturesApproved event) {
    for (var change : event.changes()) {
      try {
        if ("DISABLE".equals(change.action())) {
          if (service.list(tenant, event.deviceId()).features().containsKey(change.featureKey())) {
            service.remove(tenant, event.deviceId(), change.featureKey(), null);
          }
        } else {
          service.put(
              tenant,
              event.deviceId(),
              change.featureKey(),
              change.params() == null ? Map.of() : change.params(),
              null);
        }
      } catch (EmsException e) {
        log.warn(
            "change set {}: {} of feature {} on device {} refused ({}): {}",
            event.changeSetId(),
            change.action(),
            change.featureKey(),
            event.deviceId(),
            e.code().code(),
            e.getMessage());
      }
    }
  }
}
