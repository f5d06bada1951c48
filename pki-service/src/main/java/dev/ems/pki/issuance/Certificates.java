package dev.ems.pki.issuance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The certificates pki-service issued, with their revocation state. */
@Repository
public class Certificates {

  private static final String COLUMNS =
      "serial, tenant_id, end_entity_id, entity_name, issuer_dn, subject_dn, not_before,"
          + " not_after, fingerprint_sha256, der, status, revocation_reason, revoked_at,"
          + " issued_at";

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  Certificates(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  private static final String INSERT =
      "insert into certificate (serial, tenant_id, end_entity_id, entity_name, issuer_dn,"
          + " subject_dn, not_before, not_after, fingerprint_sha256, der, enrollment_csr_sha256,"
          + " status) select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'VALID' where exists (select 1 from"
          + " end_entity where id = ? and status = 'ACTIVE')";

  /**
   * Stores a new certificate if its end entity is still active (checked in the same statement, so a
   * concurrent delete cannot leave a live certificate behind); false otherwise.
   */
  boolean insert(CertificateRecord c, String enrollmentCsrSha256) {
    return jdbc.sql(INSERT).params(insertParams(c, enrollmentCsrSha256)).update() == 1;
  }

  /**
   * {@link #insert} for several certificates in one JDBC batch (one round trip); for each, whether
   * it was stored.
   */
  boolean[] insertAll(List<CertificateRecord> records, List<String> enrollmentCsrSha256s) {
    List<Object[]> rows = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      rows.add(insertParams(records.get(i), enrollmentCsrSha256s.get(i)));
    }
    int[] counts = batch.batchUpdate(INSERT, rows);
    boolean[] stored = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      stored[i] = counts[i] == 1;
    }
    return stored;
  }

  private static Object[] insertParams(CertificateRecord c, String enrollmentCsrSha256) {
    return new Object[] {
      c.serial(),
      c.tenant(),
      c.endEntityId(),
      c.entityName(),
      c.issuerDn(),
      c.subjectDn(),
      Timestamp.from(c.notBefore()),
      Timestamp.from(c.notAfter()),
      c.fingerprintSha256(),
      c.der(),
      enrollmentCsrSha256,
      c.endEntityId()
    };
  }

  public Optional<CertificateRecord> find(String tenant, String serial) {
    return jdbc.sql("select " + COLUMNS + " from certificate where tenant_id = ? and serial = ?")
        .params(tenant, serial)
        .query(Certificates::map)
        .optional();
  }

  /** Locks the row: revocations of one certificate are serialised. */
  public Optional<CertificateRecord> findForUpdate(String tenant, String serial) {
    return jdbc.sql(
            "select " + COLUMNS + " from certificate where tenant_id = ? and serial = ? for update")
        .params(tenant, serial)
        .query(Certificates::map)
        .optional();
  }

  /** Any tenant's certificate: for OCSP, whose callers are anonymous relying parties. */
  /**
   * Whether a device of the tenant still holds a live certificate of that issuer (issue 19: devices
   * not yet renewed out of the shared issuing CA).
   */
  public boolean deviceHoldsLiveCertificateOf(String tenant, String issuerDn) {
    return jdbc.sql(
            "select exists (select 1 from certificate c join end_entity e on e.id ="
                + " c.end_entity_id where c.tenant_id = ? and c.issuer_dn = ? and c.status ="
                + " 'VALID' and c.not_after > now() and e.kind = 'DEVICE')")
        .params(tenant, issuerDn)
        .query(Boolean.class)
        .single();
  }

  public Optional<CertificateRecord> findAnyTenant(String serial) {
    return jdbc.sql("select " + COLUMNS + " from certificate where serial = ?")
        .param(serial)
        .query(Certificates::map)
        .optional();
  }

  Optional<CertificateRecord> findEnrollment(UUID endEntityId, String csrSha256) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from certificate where end_entity_id = ?"
                + " and enrollment_csr_sha256 = ? and status = 'VALID'")
        .params(endEntityId, csrSha256)
        .query(Certificates::map)
        .optional();
  }

  public List<CertificateRecord> liveOf(UUID endEntityId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from certificate where end_entity_id = ? and status = 'VALID'"
                + " order by serial for update")
        .param(endEntityId)
        .query(Certificates::map)
        .list();
  }

  /** A certificate by the SHA-256 of its DER, whatever its tenant. */
  public Optional<CertificateRecord> findByFingerprint(String fingerprintSha256) {
    return jdbc.sql("select " + COLUMNS + " from certificate where fingerprint_sha256 = ?")
        .param(fingerprintSha256)
        .query(Certificates::map)
        .optional();
  }

  /** The DER of every certificate the entity ever held: to refuse a key certified before. */
  public List<byte[]> allDerOf(UUID endEntityId) {
    return jdbc.sql("select der from certificate where end_entity_id = ?")
        .param(endEntityId)
        .query((rs, row) -> rs.getBytes(1))
        .list();
  }

  List<CertificateRecord> search(CertificateQuery q, Instant now) {
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from certificate where tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(q.tenant()));
    if (q.serial() != null) {
      sql.append(" and serial = ?");
      params.add(q.serial());
    }
    if (q.entity() != null) {
      sql.append(" and entity_name = ?");
      params.add(q.entity());
    }
    if (q.status() != null) {
      sql.append(" and status = ?");
      params.add(q.status());
    }
    if (q.expiringBefore() != null) {
      sql.append(" and status = 'VALID' and not_after > ? and not_after <= ?");
      params.add(Timestamp.from(now));
      params.add(Timestamp.from(q.expiringBefore()));
    }
    sql.append(" order by issued_at desc, serial limit ? offset ?");
    params.add(q.size());
    params.add((long) q.page() * q.size());
    return jdbc.sql(sql.toString()).params(params).query(Certificates::map).list();
  }

  public void markRevoked(String serial, String reason, Instant at) {
    jdbc.sql(
            "update certificate set status = 'REVOKED', revocation_reason = ?, revoked_at = ?"
                + " where serial = ?")
        .params(reason, Timestamp.from(at), serial)
        .update();
  }

  static CertificateRecord map(ResultSet rs, int row) throws SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new CertificateRecord(
        rs.getString("serial"),
        rs.getString("tenant_id"),
        rs.getObject("end_entity_id", UUID.class),
        rs.getString("entity_name"),
        rs.getString("issuer_dn"),
        rs.getString("subject_dn"),
        rs.getTimestamp("not_before").toInstant(),
        rs.getTimestamp("not_after").toInstant(),
        rs.getString("fingerprint_sha256"),
        rs.getBytes("der"),
        rs.getString("status"),
        rs.getString("revocation_reason"),
        revoked == null ? null : revoked.toInstant(),
        rs.getTimestamp("issued_at").toInstant());
  }

  /** Search criteria; null means "any". */
  record CertificateQuery(
      String tenant,
      String serial,
      String entity,
      String status,
      Instant expiringBefore,
      int page,
      int size) {}
}
