package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * device-api received a heartbeat (topic {@link Topics#DEVICE_TELEMETRY}). {@code sentAt} is the
 * device's clock, {@code receivedAt} device-api's; consumers trust the latter for ordering. {@code
 * configSha256} is the sha256 of the config bundle the device runs (64 lowercase hex), null from
 * devices that do not send it: diagnostics compares it to the expected bundles to detect drift.
 */
public record HeartbeatReceived(
    UUID deviceId,
    Instant sentAt,
    Instant receivedAt,
    long uptimeSeconds,
    String firmware,
    List<TunnelStatus> tunnels,
    String configSha256) {

  /** A heartbeat that does not say which bundle the device runs (older producers). */
  public HeartbeatReceived(
      UUID deviceId,
      Instant sentAt,
      Instant receivedAt,
      long uptimeSeconds,
      String firmware,
      List<TunnelStatus> tunnels) {
    this(deviceId, sentAt, receivedAt, uptimeSeconds, firmware, tunnels, null);
  }
}
