package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A device certificate expires within the configured window (topic {@link
 * Topics#PKI_CERTIFICATES}).
 */
public record CertificateExpiring(
    UUID deviceId, String serialNumber, String fingerprintSha256, Instant notAfter) {}
