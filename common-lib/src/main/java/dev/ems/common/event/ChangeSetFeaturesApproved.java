package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The feature changes of an approved change set for one device, due now (topic {@link
 * Topics#SC_CHANGE_SETS}, key = device id, tenant in the envelope). SC owns change sets because
 * only SC can render their diff, but a device's feature set is tw-service's data: tw-service
 * applies {@code changes} in their order to the device's feature set, which then regenerates the
 * device in SC as any feature change does. All changes of one device travel in one event so that
 * they reach tw-service together.
 */
public record ChangeSetFeaturesApproved(
    UUID changeSetId, UUID deviceId, List<FeatureChange> changes, Instant approvedAt) {

  /** {@code action} ENABLE (with the validated {@code params}) or DISABLE. */
  public record FeatureChange(String featureKey, String action, Map<String, Object> params) {}
}
