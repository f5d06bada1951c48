package dev.ems.common.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A device's whole feature set as tw-service holds it now (compacted topic {@link
 * Topics#TW_DEVICE_FEATURES}, key = device id). {@code revision} grows with every change; SC keeps
 * the newest and regenerates the device's configuration from it.
 */
public record DeviceFeaturesChanged(
    UUID deviceId, long revision, Map<String, FeatureSetting> features, Instant changedAt) {

  /** One feature on the device: its catalogue version and the validated parameters. */
  public record FeatureSetting(int version, Map<String, Object> params) {}
}
