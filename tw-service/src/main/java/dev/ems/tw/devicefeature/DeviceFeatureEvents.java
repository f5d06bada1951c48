package dev.ems.tw.devicefeature;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Publishes a device's whole feature set on the compacted topic SC consumes: the latest record per
 * device is the complete current state, so a replay rebuilds SC's copy.
 */
@Component
class DeviceFeatureEvents {

  private final Outbox outbox;

  DeviceFeatureEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  void changed(
      String tenant, UUID deviceId, long revision, Map<String, FeatureSetting> set, Instant at) {
    outbox.append(
        Topics.TW_DEVICE_FEATURES,
        EventEnvelope.of(
            "/tw-service/device-features",
            tenant,
            deviceId.toString(),
            new DeviceFeaturesChanged(deviceId, revision, new TreeMap<>(set), at)));
  }
}
