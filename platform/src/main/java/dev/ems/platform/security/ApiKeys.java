package dev.ems.platform.security;

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
import java.util.concurrent.ConcurrentHashMap;
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
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public ApiKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
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

  Optional<Caller> authenticate(String key) {
    String hash = hash(key);
    Instant now = Instant.now();
    Cached cached = cache.get(hash);
    if (cached != null && cached.expires.isAfter(now)) {
      return cached.caller;
    }
    Optional<Caller> caller =
        jdbc.sql(
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
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(hash, new Cached(caller, now.plus(CACHE_TTL)));
    return caller;
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
    cache.remove(keyHash);
  }

  /** Adds the key unless a key with the same hash exists; true when it was added. */
  boolean insertIfAbsent(String tenant, String name, String keyHash, Role role) {
    return jdbc.sql(
                """
                insert into api_key (id, tenant_id, name, key_hash, role)
                values (?, ?, ?, ?, ?) on conflict (key_hash) do nothing
                """)
            .params(UUID.randomUUID(), tenant, name, keyHash, role.name())
            .update()
        == 1;
  }

  private record Cached(Optional<Caller> caller, Instant expires) {}
}
