package dev.ems.pki.endentity;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** End entities of a tenant; deleted ones stay as the audit trail. */
@Repository
public class EndEntities {

  private static final String COLUMNS =
      "id, tenant_id, name, subject_dn, certificate_profile, dns_names, status, created_at,"
          + " deleted_at, kind, device_serial";

  private final JdbcClient jdbc;

  EndEntities(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The active entity of that name, or an end-entity-not-found problem. */
  public EndEntity require(String tenant, String name) {
    return findActive(tenant, name)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.END_ENTITY_NOT_FOUND, name));
  }

  public Optional<EndEntity> findActive(String tenant, String name) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from end_entity where tenant_id = ? and name = ?"
                + " and status = 'ACTIVE'")
        .params(tenant, name)
        .query(EndEntities::map)
        .optional();
  }

  /** Whether the tenant has an entity of that name, active or deleted (its history stays). */
  public boolean exists(String tenant, String name) {
    return jdbc.sql("select exists (select 1 from end_entity where tenant_id = ? and name = ?)")
        .params(tenant, name)
        .query(Boolean.class)
        .single();
  }

  /**
   * Whether an operator of the tenant may not take this name: one of its devices' (even
   * decommissioned) or an active entity's. Other tenants' names are not looked at, so a tenant
   * never learns that another's entity exists; an entity of the same name in another tenant is that
   * tenant's own, and device-api never takes its certificates for the device (the certificate's
   * tenant must be the device's).
   */
  boolean nameTaken(String tenant, String name) {
    return jdbc.sql(
            "select exists (select 1 from end_entity where tenant_id = ? and name = ?"
                + " and (kind = 'DEVICE' or status = 'ACTIVE'))")
        .params(tenant, name)
        .query(Boolean.class)
        .single();
  }

  /** The active device entity of that tenant, by device id. */
  public Optional<EndEntity> findActiveDevice(String tenant, String name) {
    return findActive(tenant, name).filter(EndEntity::isDevice);
  }

  /** Whether the tenant has (or had: decommissioned) a device entity of that name. */
  boolean anyDevice(String tenant, String name) {
    return jdbc.sql(
            "select exists (select 1 from end_entity where tenant_id = ? and name = ?"
                + " and kind = 'DEVICE')")
        .params(tenant, name)
        .query(Boolean.class)
        .single();
  }

  /** The inventory names an existing entity of its tenant a device (the same id). */
  void markDevice(UUID id, String serial, Instant at, String subjectDn, String profile) {
    jdbc.sql(
            "update end_entity set kind = 'DEVICE', device_serial = ?, device_serial_at = ?,"
                + " subject_dn = ?, certificate_profile = ?, dns_names = '' where id = ?")
        .params(serial, Timestamp.from(at), subjectDn, profile, id)
        .update();
  }

  /** Records the device's serial as of an inventory event; false if a newer one is recorded. */
  boolean serialChanged(UUID id, String serial, Instant at) {
    return jdbc.sql(
                "update end_entity set device_serial = ?, device_serial_at = ? where id = ?"
                    + " and (device_serial_at is null or device_serial_at < ?)")
            .params(serial, Timestamp.from(at), id, Timestamp.from(at))
            .update()
        == 1;
  }

  List<EndEntity> list(String tenant, boolean includeDeleted, int page, int size) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from end_entity where tenant_id = ?"
                + (includeDeleted ? "" : " and status = 'ACTIVE'")
                + " order by created_at, id limit ? offset ?")
        .params(tenant, size, (long) page * size)
        .query(EndEntities::map)
        .list();
  }

  void insert(EndEntity e) {
    jdbc.sql(
            "insert into end_entity (id, tenant_id, name, subject_dn, certificate_profile,"
                + " dns_names, status, created_at, kind, device_serial)"
                + " values (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)")
        .params(
            e.id(),
            e.tenant(),
            e.name(),
            e.subjectDn(),
            e.certificateProfile(),
            String.join(",", e.dnsNames()),
            Timestamp.from(e.createdAt()),
            e.kind(),
            e.deviceSerial())
        .update();
  }

  void markDeleted(UUID id) {
    jdbc.sql("update end_entity set status = 'DELETED', deleted_at = now() where id = ?")
        .param(id)
        .update();
  }

  static EndEntity map(ResultSet rs, int row) throws SQLException {
    String dns = rs.getString("dns_names");
    Timestamp deleted = rs.getTimestamp("deleted_at");
    return new EndEntity(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("name"),
        rs.getString("subject_dn"),
        rs.getString("certificate_profile"),
        dns.isEmpty() ? List.of() : Arrays.asList(dns.split(",")),
        rs.getString("status"),
        rs.getTimestamp("created_at").toInstant(),
        deleted == null ? null : deleted.toInstant(),
        rs.getString("kind"),
        rs.getString("device_serial"));
  }
}
