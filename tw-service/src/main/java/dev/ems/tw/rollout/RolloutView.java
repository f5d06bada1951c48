package dev.ems.tw.rollout;

import dev.ems.tw.rollout.RolloutStore.DeviceState;
import dev.ems.tw.rollout.RolloutStore.DeviceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A rollout's progress as the API shows it; {@code devices} and {@code rolledBack} (the devices a
 * health drop in their watch window rolled back) only on the single-rollout read.
 */
record RolloutView(
    UUID id,
    String featureKey,
    String action,
    Map<String, Object> params,
    Map<String, Object> selector,
    String status,
    String pauseReason,
    int waveSize,
    int waveCount,
    int currentWave,
    int failureThreshold,
    long waveTimeoutSeconds,
    Map<DeviceStatus, Integer> counts,
    List<DeviceState> devices,
    Instant createdAt,
    long watchWindowSeconds,
    List<UUID> rolledBack) {

  static RolloutView of(Rollout r, Map<DeviceStatus, Integer> counts, List<DeviceState> devices) {
    return new RolloutView(
        r.id(),
        r.featureKey(),
        r.action(),
        r.params(),
        r.selector(),
        r.status(),
        r.pauseReason(),
        r.waveSize(),
        r.waveCount(),
        r.currentWave(),
        r.failureThreshold(),
        r.waveTimeoutMs() / 1000,
        counts,
        devices,
        r.createdAt(),
        r.watchWindowMs() / 1000,
        devices == null
            ? null
            : devices.stream()
                .filter(d -> d.healthDroppedAt() != null)
                .map(DeviceState::deviceId)
                .toList());
  }
}
