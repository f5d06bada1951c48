package dev.ems.pki.endentity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The current bootstrap token of each device end entity, as SC announced it ({@code
 * BootstrapTokenIssued}): its SHA-256 and expiry, never the token. A token is claimed for one CSR
 * and spent once it produced a certificate; a newer token starts unclaimed.
 */
@Repository
public class BootstrapTokens {

  /** A device's current token; {@code csrSha256} the CSR it was claimed for, if any. */
  public record BootstrapToken(
      String sha256, Instant expiresAt, String csrSha256, Instant spentAt) {}

  private final JdbcClient jdbc;

  BootstrapTokens(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<BootstrapToken> current(UUID endEntityId) {
    return jdbc.sql(
            "select bootstrap_token_sha256, bootstrap_token_expires_at, bootstrap_token_csr_sha256,"
                + " bootstrap_token_spent_at from end_entity where id = ?"
                + " and bootstrap_token_sha256 is not null")
        .param(endEntityId)
        .query(
            (rs, row) ->
                new BootstrapToken(
                    rs.getString(1),
                    instant(rs.getTimestamp(2)),
                    rs.getString(3),
                    instant(rs.getTimestamp(4))))
        .optional();
  }

  /**
   * Records a token issued at {@code issuedAt}, unclaimed, unless one issued as late or later is
   * recorded: a redelivered or replayed event neither revives a spent token nor restores an old
   * one.
   */
  void issued(UUID endEntityId, String sha256, Instant issuedAt, Instant expiresAt) {
    jdbc.sql(
            "update end_entity set bootstrap_token_sha256 = ?, bootstrap_token_issued_at = ?,"
                + " bootstrap_token_expires_at = ?, bootstrap_token_csr_sha256 = null,"
                + " bootstrap_token_spent_at = null where id = ?"
                + " and (bootstrap_token_issued_at is null or bootstrap_token_issued_at < ?)")
        .params(
            sha256,
            Timestamp.from(issuedAt),
            expiresAt == null ? null : Timestamp.from(expiresAt),
            endEntityId,
            Timestamp.from(issuedAt))
        .update();
  }

  /**
   * Claims the token for this CSR; false if it is no longer the current token or is claimed for
   * another CSR. One statement, so of two concurrent enrollments with different CSRs one wins.
   */
  public boolean claim(UUID endEntityId, String sha256, String csrSha256) {
    return jdbc.sql(
                "update end_entity set bootstrap_token_csr_sha256 = ? where id = ?"
                    + " and bootstrap_token_sha256 = ? and bootstrap_token_spent_at is null"
                    + " and (bootstrap_token_csr_sha256 is null or bootstrap_token_csr_sha256 = ?)")
            .params(csrSha256, endEntityId, sha256, csrSha256)
            .update()
        == 1;
  }

  /** The token produced its certificate: from now on it only gets that certificate back. */
  public void spent(UUID endEntityId, String sha256, Instant at) {
    jdbc.sql(
            "update end_entity set bootstrap_token_spent_at = ? where id = ?"
                + " and bootstrap_token_sha256 = ? and bootstrap_token_spent_at is null")
        .params(Timestamp.from(at), endEntityId, sha256)
        .update();
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
