package dev.ems.common.event;

import java.time.Instant;

/**
 * One tunnel as a device reports it in a heartbeat. {@code state}: ESTABLISHED, CONNECTING, DOWN.
 * The management IPsec tunnel is named {@code ems-mgmt}.
 */
public record TunnelStatus(
    String name,
    String state,
    long bytesIn,
    long bytesOut,
    long packetsIn,
    long packetsOut,
    Instant lastChange) {}
