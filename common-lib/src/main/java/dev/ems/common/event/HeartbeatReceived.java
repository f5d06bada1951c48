package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * device-api received a heartbeat (topic {@link Topics#DEVICE_TELEMETRY}). {@code sentAt} is the
 * device's clock, {@code receivedAt} device-api's; consumers trust the latter for ordering.
 */
public record HeartbeatReceived(
    UUID deviceId,
    Instant sentAt,
    Instant receivedAt,
    long uptimeSeconds,
    String firmware,
    List<TunnelStatus> tunnels) {}
