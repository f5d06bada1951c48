package dev.ems.pki.endentity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A device registered with the CA. {@code name} is the device id; {@code subjectDn} and {@code
 * dnsNames} decide what its certificates say, whatever a CSR asks for.
 */
public record EndEntity(
    UUID id,
    String tenant,
    String name,
    String subjectDn,
    String certificateProfile,
    List<String> dnsNames,
    String status,
    Instant createdAt,
    Instant deletedAt) {

  public UUID deviceId() {
    return UUID.fromString(name);
  }
}
