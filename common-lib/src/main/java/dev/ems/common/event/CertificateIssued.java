package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * pki-service issued a certificate to a device's end entity (topic {@link
 * Topics#PKI_CERTIFICATES}). {@code serialNumber} is hexadecimal; {@code fingerprintSha256} is over
 * the DER certificate, hex.
 */
public record CertificateIssued(
    UUID deviceId,
    String serialNumber,
    String issuerDn,
    String subjectDn,
    String fingerprintSha256,
    Instant notBefore,
    Instant notAfter) {}
