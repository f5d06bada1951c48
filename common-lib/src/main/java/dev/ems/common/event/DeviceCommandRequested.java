package dev.ems.common.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A command waits for a device (topic {@link Topics#DIAG_COMMANDS}): device-api hands it out in the
 * device's next heartbeat response until {@code expiresAt}. {@code type}: e.g. TUNNEL_STATUS,
 * REACHABILITY.
 */
public record DeviceCommandRequested(
    UUID commandId,
    UUID deviceId,
    String type,
    Map<String, String> parameters,
    Instant expiresAt) {}
