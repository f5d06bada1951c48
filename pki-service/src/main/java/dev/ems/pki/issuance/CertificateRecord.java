package dev.ems.pki.issuance;

import java.time.Instant;
import java.util.UUID;

/** A certificate as pki-service keeps it; {@code serial} is lower-case hex. */
public record CertificateRecord(
    String serial,
    String tenant,
    UUID endEntityId,
    String entityName,
    String issuerDn,
    String subjectDn,
    Instant notBefore,
    Instant notAfter,
    String fingerprintSha256,
    byte[] der,
    String status,
    String revocationReason,
    Instant revokedAt,
    Instant issuedAt) {

  public static final String VALID = "VALID";
  public static final String REVOKED = "REVOKED";

  public UUID deviceId() {
    return UUID.fromString(entityName);
  }
}
