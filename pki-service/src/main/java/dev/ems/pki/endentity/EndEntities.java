package dev.ems.pki.endentity;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
          + " deleted_at";

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
                + " dns_names, status, created_at) values (?, ?, ?, ?, ?, ?, 'ACTIVE', ?)")
        .params(
            e.id(),
            e.tenant(),
            e.name(),
            e.subjectDn(),
            e.certificateProfile(),
            String.join(",", e.dnsNames()),
            Timestamp.from(e.createdAt()))
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
        deleted == null ? null : deleted.toInstant());
  }
}
