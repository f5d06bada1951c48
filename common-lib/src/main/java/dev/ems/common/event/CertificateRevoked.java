package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A device certificate was revoked (topic {@link Topics#PKI_CERTIFICATES}); {@code reason} is the
 * RFC 5280 reason name, e.g. {@code keyCompromise}, {@code cessationOfOperation}.
 */
public record CertificateRevoked(
    UUID deviceId,
    String serialNumber,
    String issuerDn,
    String fingerprintSha256,
    String reason,
    Instant revokedAt) {}
