package dev.ems.sc.signing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tenants' config-signing keys (table {@code config_signing_key}); at most one per tenant is
 * current (a partial unique index). The private key is stored sealed; this class never opens it.
 */
@Repository
class SigningKeys {

  /** A key as stored; {@code chainPem} and {@code x5t} are null until pki-service certified it. */
  record SigningKey(
      String keyId,
      String tenant,
      String sealedPrivateKey,
      String csrPem,
      boolean current,
      String chainPem,
      String x5t,
      Instant notAfter,
      Instant requestedAt,
      Instant createdAt) {}

  private static final String COLUMNS =
      "key_id, tenant_id, private_key_sealed, csr_pem, current, chain_pem, x5t_s256, not_after,"
          + " requested_at, created_at";

  private final JdbcClient jdbc;

  SigningKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<SigningKey> current(String tenant) {
    return jdbc.sql(
            "select " + COLUMNS + " from config_signing_key where tenant_id = ? and current")
        .param(tenant)
        .query((rs, n) -> map(rs))
        .optional();
  }

  Optional<SigningKey> find(String keyId) {
    return jdbc.sql("select " + COLUMNS + " from config_signing_key where key_id = ?")
        .param(keyId)
        .query((rs, n) -> map(rs))
        .optional();
  }

  /** The tenant's newest key (current or waiting for its certificate). */
  Optional<SigningKey> newest(String tenant) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from config_signing_key where tenant_id = ?"
                + " order by created_at desc, key_id limit 1")
        .param(tenant)
        .query((rs, n) -> map(rs))
        .optional();
  }

  /**
   * Stores a key; {@code current} only when the tenant has no current key, {@code rotationId} at
   * most once. True when it was stored (a concurrent first key or a redelivered rotation wins
   * nothing).
   */
  boolean insert(SigningKey key, UUID rotationId) {
    return jdbc.sql(
                "insert into config_signing_key (key_id, tenant_id, private_key_sealed, csr_pem,"
                    + " current, rotation_id, requested_at, created_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
            .params(
                key.keyId(),
                key.tenant(),
                key.sealedPrivateKey(),
                key.csrPem(),
                key.current(),
                rotationId,
                Timestamp.from(key.requestedAt()),
                Timestamp.from(key.createdAt()))
            .update()
        == 1;
  }

  void requestedAgain(String keyId, Instant at) {
    jdbc.sql("update config_signing_key set requested_at = ? where key_id = ?")
        .params(Timestamp.from(at), keyId)
        .update();
  }

  /** Records the key's certificate chain; true when it was not recorded before. */
  boolean certify(String keyId, String chainPem, String x5t, Instant notBefore, Instant notAfter) {
    return jdbc.sql(
                "update config_signing_key set chain_pem = ?, x5t_s256 = ?, not_before = ?,"
                    + " not_after = ? where key_id = ? and chain_pem is null")
            .params(chainPem, x5t, Timestamp.from(notBefore), Timestamp.from(notAfter), keyId)
            .update()
        == 1;
  }

  /** Makes the key the tenant's current one; new versions are signed with it. */
  void makeCurrent(String tenant, String keyId) {
    jdbc.sql("update config_signing_key set current = false where tenant_id = ? and current")
        .param(tenant)
        .update();
    jdbc.sql("update config_signing_key set current = true where key_id = ?").param(keyId).update();
  }

  private static SigningKey map(ResultSet rs) throws SQLException {
    Timestamp notAfter = rs.getTimestamp("not_after");
    return new SigningKey(
        rs.getString("key_id"),
        rs.getString("tenant_id"),
        rs.getString("private_key_sealed"),
        rs.getString("csr_pem"),
        rs.getBoolean("current"),
        rs.getString("chain_pem"),
        rs.getString("x5t_s256"),
        notAfter == null ? null : notAfter.toInstant(),
        rs.getTimestamp("requested_at").toInstant(),
        rs.getTimestamp("created_at").toInstant());
  }
}
