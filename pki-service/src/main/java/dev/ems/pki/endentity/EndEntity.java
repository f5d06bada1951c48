package dev.ems.pki.endentity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A device registered with the CA. {@code name} is the device id; {@code subjectDn} and {@code
 * dnsNames} decide what its certificates say, whatever a CSR asks for. {@code kind} {@link #DEVICE}
 * entities exist only because the inventory created the device (in that tenant); they get
 * certificates only by enrollment. {@code deviceSerial} is the hardware a device entity currently
 * is (null for operator entities and for device entities from before it was recorded).
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
    Instant deletedAt,
    String kind,
    String deviceSerial) {

  public static final String DEVICE = "DEVICE";
  public static final String OPERATOR = "OPERATOR";

  public UUID deviceId() {
    return UUID.fromString(name);
  }

  public boolean isDevice() {
    return DEVICE.equals(kind);
  }
}
