package dev.ems.pki.signing;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Certificates issued to config-signing keys (table {@code config_signing_certificate}). */
@Repository
class SigningCertificates {

  record SigningCertificate(
      String keyId,
      String tenant,
      String serial,
      String chainPem,
      Instant notBefore,
      Instant notAfter) {}

  private final JdbcClient jdbc;

  SigningCertificates(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<SigningCertificate> find(String keyId) {
    return jdbc.sql(
            "select key_id, tenant_id, serial, chain_pem, not_before, not_after"
                + " from config_signing_certificate where key_id = ?")
        .param(keyId)
        .query(
            (rs, n) ->
                new SigningCertificate(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getTimestamp(5).toInstant(),
                    rs.getTimestamp(6).toInstant()))
        .optional();
  }

  /** The tenant's certificates, newest first, with when their successor was asked for. */
  List<Listed> list(String tenant) {
    return jdbc.sql(
            "select key_id, serial, not_before, not_after, rotation_requested_at"
                + " from config_signing_certificate where tenant_id = ?"
                + " order by not_before desc limit 100")
        .param(tenant)
        .query(
            (rs, n) -> {
              Timestamp rotation = rs.getTimestamp(5);
              return new Listed(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getTimestamp(4).toInstant(),
                  rotation == null ? null : rotation.toInstant());
            })
        .list();
  }

  /** A certificate as an operator sees it (no chain: that is public at device-api). */
  record Listed(
      String keyId,
      String serial,
      Instant notBefore,
      Instant notAfter,
      Instant rotationRequestedAt) {}

  /** Stores the certificate unless one exists for the key; true when stored. */
  boolean insert(SigningCertificate c, Instant now) {
    return jdbc.sql(
                "insert into config_signing_certificate (key_id, tenant_id, serial, chain_pem,"
                    + " not_before, not_after, created_at) values (?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (key_id) do nothing")
            .params(
                c.keyId(),
                c.tenant(),
                c.serial(),
                c.chainPem(),
                Timestamp.from(c.notBefore()),
                Timestamp.from(c.notAfter()),
                Timestamp.from(now))
            .update()
        == 1;
  }

  /**
   * Claims the tenants whose newest certificate has lived two thirds of its lifetime and whose
   * successor was not yet asked for; marks them in the caller's transaction (SKIP LOCKED, so
   * several instances never ask twice).
   */
  List<String> claimDueForRotation(Instant now, int limit) {
    List<String> keyIds =
        jdbc.sql(
                """
                select c.key_id from config_signing_certificate c
                where c.rotation_requested_at is null
                  and c.not_before + (c.not_after - c.not_before) * 2 / 3 <= ?
                  and not exists (select 1 from config_signing_certificate n
                    where n.tenant_id = c.tenant_id and n.not_before > c.not_before)
                order by c.not_before limit ? for update skip locked
                """)
            .params(Timestamp.from(now), limit)
            .query(String.class)
            .list();
    List<String> tenants =
        keyIds.stream()
            .map(
                id ->
                    jdbc.sql(
                            "update config_signing_certificate set rotation_requested_at = ?"
                                + " where key_id = ? returning tenant_id")
                        .params(Timestamp.from(now), id)
                        .query(String.class)
                        .single())
            .toList();
    return tenants;
  }
}
