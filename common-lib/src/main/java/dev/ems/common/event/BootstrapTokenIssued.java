package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A single-use bootstrap token was issued for a device (SC, topic {@link Topics#SC_DEVICES}),
 * replacing any earlier one. Only the SHA-256 of the token travels; device-api checks enrollment
 * attempts against it.
 */
public record BootstrapTokenIssued(
    UUID deviceId, String serial, String tokenSha256, Instant issuedAt, Instant expiresAt) {}
