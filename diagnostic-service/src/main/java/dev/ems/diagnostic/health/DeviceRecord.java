package dev.ems.diagnostic.health;

import dev.ems.diagnostic.health.model.DeviceState;
import dev.ems.diagnostic.health.model.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One row of {@code device_health}: the device's state, its derived health and the bookkeeping of
 * the sweeps. {@code conditions} holds only alertable conditions alerts are kept open for; {@code
 * pending} the tunnel-down conditions not yet confirmed (condition → consecutive heartbeats).
 */
public record DeviceRecord(
    UUID deviceId,
    String tenant,
    String serial,
    DeviceState state,
    Level level,
    List<String> reasons,
    List<String> conditions,
    Map<String, Integer> pending,
    Instant changedAt,
    Instant nextDeadline,
    String firmware,
    Long uptimeSeconds,
    Instant lastMetricsAt) {

  public DeviceRecord withTelemetry(String newFirmware, long newUptime, Instant metricsAt) {
    return new DeviceRecord(
        deviceId,
        tenant,
        serial,
        state,
        level,
        reasons,
        conditions,
        pending,
        changedAt,
        nextDeadline,
        newFirmware,
        newUptime,
        metricsAt);
  }
}
