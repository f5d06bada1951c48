package dev.ems.device.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The certificates EMS issued to devices (table {@code device_credential}), all held in memory so
 * that authenticating a request never waits for the database; kept current by enrollment and by PKI
 * events, so a revocation takes effect within the event's delivery time.
 */
@Component
public class Credentials {

  /** A device certificate as far as authentication cares. */
  public record Credential(
      UUID deviceId, String tenant, String serialNumber, Instant notAfter, boolean revoked) {}

  private final JdbcClient jdbc;
  private final ConcurrentHashMap<String, Credential> byFingerprint = new ConcurrentHashMap<>();

  /**
   * Each device's valid certificates' fingerprints: one per device, two between a renewal and the
   * new certificate's first use. A revoked one leaves the index, so a device's every request
   * (authentication runs on the config fetch) looks at one entry.
   */
  private final ConcurrentHashMap<UUID, java.util.Set<String>> byDevice = new ConcurrentHashMap<>();

  Credentials(JdbcClient jdbc) {
    this.jdbc = jdbc;
    jdbc.sql(
            "select fingerprint, device_id, tenant_id, serial_number, not_after, revoked_at"
                + " from device_credential")
        .query(
            rs -> {
              Credential c =
                  new Credential(
                      rs.getObject(2, UUID.class),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getTimestamp(5).toInstant(),
                      rs.getTimestamp(6) != null);
              byFingerprint.put(rs.getString(1), c);
              if (!c.revoked()) {
                index(c.deviceId(), rs.getString(1));
              }
            });
  }

  public Optional<Credential> find(String fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  /**
   * Whether the device holds another valid, unexpired certificate that expires before this one: one
   * this certificate renewed, still valid until this one is used (issue 18).
   */
  boolean supersedesAnother(Credential credential, String fingerprint, Instant now) {
    var fingerprints = byDevice.get(credential.deviceId());
    if (fingerprints == null || fingerprints.size() < 2) {
      return false;
    }
    for (String other : fingerprints) {
      Credential c = byFingerprint.get(other);
      if (c != null && !other.equals(fingerprint) && !c.revoked() && c.notAfter().isAfter(now)) {
        return true;
      }
    }
    return false;
  }

  private void index(UUID deviceId, String fingerprint) {
    byDevice.computeIfAbsent(deviceId, d -> ConcurrentHashMap.newKeySet()).add(fingerprint);
  }

  /** Records an issued certificate; idempotent. */
  public void issued(
      String fingerprint, UUID deviceId, String tenant, String serialNumber, Instant notAfter) {
    jdbc.sql(
            """
            insert into device_credential (fingerprint, device_id, tenant_id, serial_number,
              not_after) values (?, ?, ?, ?, ?) on conflict (fingerprint) do nothing
            """)
        .params(fingerprint, deviceId, tenant, serialNumber, Timestamp.from(notAfter))
        .update();
    byFingerprint.putIfAbsent(
        fingerprint, new Credential(deviceId, tenant, serialNumber, notAfter, false));
    index(deviceId, fingerprint);
  }

  /** Marks a certificate revoked, by fingerprint; idempotent. */
  public void revoked(String fingerprint, UUID deviceId, String tenant, String serialNumber) {
    jdbc.sql(
            """
            insert into device_credential (fingerprint, device_id, tenant_id, serial_number,
              not_after, revoked_at) values (?, ?, ?, ?, now(), now())
            on conflict (fingerprint) do update set revoked_at = coalesce(
              device_credential.revoked_at, now())
            """)
        .params(fingerprint, deviceId, tenant, serialNumber)
        .update();
    byFingerprint.compute(
        fingerprint,
        (k, old) ->
            old == null
                ? new Credential(deviceId, tenant, serialNumber, Instant.now(), true)
                : new Credential(
                    old.deviceId(), old.tenant(), old.serialNumber(), old.notAfter(), true));
    byDevice.computeIfPresent(
        deviceId,
        (d, fingerprints) -> {
          fingerprints.remove(fingerprint);
          return fingerprints.isEmpty() ? null : fingerprints;
        });
  }
}
