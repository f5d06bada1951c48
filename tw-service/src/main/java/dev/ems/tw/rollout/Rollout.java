package dev.ems.tw.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A rollout as stored; {@code params} is null for a DISABLE; {@code watchWindowMs} 0 means devices
 * are not watched after they applied.
 */
record Rollout(
    UUID id,
    String tenant,
    String featureKey,
    String action,
    Map<String, Object> params,
    Map<String, Object> selector,
    int waveSize,
    int failureThreshold,
    long waveTimeoutMs,
    int waveCount,
    int currentWave,
    int failuresAcknowledged,
    String status,
    String pauseReason,
    Instant createdAt,
    long watchWindowMs) {

  static final String RUNNING = "RUNNING";
  static final String PAUSED = "PAUSED";
  static final String COMPLETED = "COMPLETED";
  static final String CANCELLED = "CANCELLED";

  boolean lastWave() {
    return currentWave >= waveCount - 1;
  }
}
