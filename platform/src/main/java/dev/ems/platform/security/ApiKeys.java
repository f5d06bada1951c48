package dev.ems.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.platform.tenant.Tenants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The service's copy of the operator API keys (table {@code api_key}). Lookups are cached for a few
 * seconds so a busy API does not query the database per request; a revoked key stops working within
 * that time.
 */
public class ApiKeys {

  private static final Duration CACHE_TTL = Duration.ofSeconds(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Tenants tenants;

  /** Well-known id of the bootstrap admin key: the same in every service (ApiKeyBootstrap). */
  public static final UUID BOOTSTRAP_KEY_ID =
      UUID.nameUUIDFromBytes("ems-bootstrap-admin-key".getBytes(StandardCharsets.UTF_8));

  private final Cache<String, Optional<Caller>> cache =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

  public ApiKeys(JdbcClient jdbc, Tenants tenants) {
    this.jdbc = jdbc;
    this.tenants = tenants;
  }

  /** A new random key: 256 bits, URL-safe, with a recognisable prefix for secret scanners. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "ems_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The caller behind a key, if the key is known, not revoked and its tenant not suspended. */
  Optional<Caller> authenticate(String key) {
    return cache.get(hash(key), this::load).filter(caller -> tenants.isActive(caller.tenant()));
  }

  private Optional<Caller> load(String hash) {
    return jdbc.sql(
            "select id, name, tenant_id, role from api_key"
                + " where key_hash = ? and revoked_at is null")
        .param(hash)
        .query(
            (rs, n) ->
                new Caller(
                    rs.getObject("id", UUID.class),
                    rs.getString("name"),
                    rs.getString("tenant_id"),
                    Role.valueOf(rs.getString("role"))))
        .optional();
  }

  /** Stores or replaces a key by id (idempotent: replication may deliver it more than once). */
  public void upsert(
      UUID id,
      String tenant,
      String name,
      String keyHash,
      Role role,
      Instant createdAt,
      Instant revokedAt) {
    jdbc.sql(
            """
            insert into api_key (id, tenant_id, name, key_hash, role, created_at, revoked_at)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do update set name = excluded.name, role = excluded.role,
              revoked_at = coalesce(api_key.revoked_at, excluded.revoked_at)
            """)
        .params(
            id,
            tenant,
            name,
            keyHash,
            role.name(),
            java.sql.Timestamp.from(createdAt),
            revokedAt == null ? null : java.sql.Timestamp.from(revokedAt))
        .update();
    cache.invalidate(keyHash);
  }

  /**
   * Makes {@code keyHash} the bootstrap admin key (one id in every service): a new hash replaces
   * the previous key, which stops working; the same hash keeps its revocation, if any. Rows that
   * earlier versions stored under a random id go.
   */
  void registerBootstrapKey(String tenant, String name, String keyHash) {
    jdbc.sql("delete from api_key where name = ? and tenant_id = ? and id <> ?")
        .params(name, tenant, BOOTSTRAP_KEY_ID)
        .update();
    jdbc.sql(
            """
            insert into api_key (id, tenant_id, name, key_hash, role) values (?, ?, ?, ?, 'ADMIN')
            on conflict (id) do update set tenant_id = excluded.tenant_id, name = excluded.name,
              key_hash = excluded.key_hash, role = 'ADMIN',
              revoked_at = case when api_key.key_hash = excluded.key_hash
                                then api_key.revoked_at end
            """)
        .params(BOOTSTRAP_KEY_ID, tenant, name, keyHash)
        .update();
    cache.invalidateAll();
  }
}
