package dev.ems.device.signing;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tenants' config-signing certificate chains, as pki-service published them (table {@code
 * config_signing_chain}). Every unexpired chain of a tenant is served, newest first, so a bundle
 * signed before a rotation still verifies.
 */
@Repository
public class SigningChains {

  /** One key's chain: signing certificate first, then its issuing CA and the root. */
  public record Chain(String keyId, String chainPem, Instant notBefore, Instant notAfter) {}

  private final JdbcClient jdbc;

  SigningChains(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a chain once (redelivered events change nothing). */
  void store(String tenant, Chain chain) {
    jdbc.sql(
            "insert into config_signing_chain (key_id, tenant_id, chain_pem, not_before,"
                + " not_after) values (?, ?, ?, ?, ?) on conflict (key_id) do nothing")
        .params(
            chain.keyId(),
            tenant,
            chain.chainPem(),
            Timestamp.from(chain.notBefore()),
            Timestamp.from(chain.notAfter()))
        .update();
  }

  /** The tenant's chains that have not expired, newest first (blocking). */
  public List<Chain> unexpired(String tenant) {
    return jdbc.sql(
            "select key_id, chain_pem, not_before, not_after from config_signing_chain"
                + " where tenant_id = ? and not_after > ? order by not_before desc, key_id")
        .params(tenant, Timestamp.from(Instant.now()))
        .query(
            (rs, n) ->
                new Chain(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getTimestamp(4).toInstant()))
        .list();
  }
}
