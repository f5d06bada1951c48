package dev.ems.device.inventory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * device-api's read model of the inventory (table {@code device}), built from SC's events: the
 * bootstrap token (hash) each device may enroll with, each known device's tenant and which devices
 * are out of service. Tenants and the out-of-service set are kept in memory, so checking a
 * certificate's device costs no query (one map entry per device, the tenant string shared).
 */
@Component
public class DeviceDirectory {

  /** A device as enrollment sees it. */
  public record EnrollableDevice(
      UUID id,
      String tenant,
      String serial,
      boolean active,
      Instant tokenExpiresAt,
      Instant tokenUsedAt) {}

  private final JdbcClient jdbc;
  private final Set<UUID> inactive = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<UUID, String> tenants = new ConcurrentHashMap<>();

  DeviceDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
    jdbc.sql("select id, tenant_id, status from device")
        .query(
            rs -> {
              UUID id = rs.getObject(1, UUID.class);
              remember(id, rs.getString(2));
              if (!"ACTIVE".equals(rs.getString(3))) {
                inactive.add(id);
              }
            });
  }

  /** The tenant the inventory created the device in; null for a device it never announced. */
  public String tenantOf(UUID deviceId) {
    return tenants.get(deviceId);
  }

  /** The device's current serial (renewal answers name it); null for an unknown device. */
  public String serialOf(UUID deviceId) {
    return jdbc.sql("select serial from device where id = ?")
        .param(deviceId)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  public boolean isActive(UUID deviceId) {
    return !inactive.contains(deviceId);
  }

  /** A device's tenant never changes: the first one announced stays, as in the table. */
  private void remember(UUID id, String tenant) {
    tenants.putIfAbsent(id, tenant.intern());
  }

  void created(UUID id, String tenant, String serial) {
    jdbc.sql(
            "insert into device (id, tenant_id, serial) values (?, ?, ?)"
                + " on conflict (id) do nothing")
        .params(id, tenant, serial)
        .update();
    remember(id, tenant);
  }

  void serialChanged(UUID id, String tenant, String serial) {
    jdbc.sql(
            """
            insert into device (id, tenant_id, serial) values (?, ?, ?)
            on conflict (id) do update set serial = excluded.serial, updated_at = now()
            """)
        .params(id, tenant, serial)
        .update();
    remember(id, tenant);
  }

  /**
   * A newer token replaces the previous one, used or not. The same token again (a redelivered or
   * replayed event, or another replica's write) changes nothing, so a used token stays used; an
   * older token's event (issued before the one in place) changes nothing either.
   */
  void tokenIssued(
      UUID id,
      String tenant,
      String serial,
      String tokenSha256,
      Instant expiresAt,
      Instant issuedAt) {
    jdbc.sql(
            """
            insert into device (id, tenant_id, serial, token_sha256, token_expires_at,
              token_issued_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (id) do update set serial = excluded.serial,
              token_sha256 = excluded.token_sha256, token_expires_at = excluded.token_expires_at,
              token_issued_at = excluded.token_issued_at, token_used_at = null, updated_at = now()
            where device.token_sha256 is distinct from excluded.token_sha256
              and (device.token_issued_at is null
                or device.token_issued_at <= excluded.token_issued_at)
            """)
        .params(
            id, tenant, serial, tokenSha256, Timestamp.from(expiresAt), Timestamp.from(issuedAt))
        .update();
    remember(id, tenant);
  }

  void decommissioned(UUID id) {
    jdbc.sql("update device set status = 'DECOMMISSIONED', updated_at = now() where id = ?")
        .param(id)
        .update();
    inactive.add(id);
  }

  /** The device whose current bootstrap token has this hash. */
  public Optional<EnrollableDevice> byToken(String tokenSha256) {
    return jdbc.sql(
            "select id, tenant_id, serial, status, token_expires_at, token_used_at from device"
                + " where token_sha256 = ?")
        .param(tokenSha256)
        .query(
            (rs, n) ->
                new EnrollableDevice(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    "ACTIVE".equals(rs.getString(4)),
                    instant(rs.getTimestamp(5)),
                    instant(rs.getTimestamp(6))))
        .optional();
  }

  /** Marks the token used; false when another enrollment used it first. */
  public boolean consumeToken(UUID id, String tokenSha256) {
    return jdbc.sql(
                "update device set token_used_at = now() where id = ? and token_sha256 = ?"
                    + " and token_used_at is null")
            .params(id, tokenSha256)
            .update()
        == 1;
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
