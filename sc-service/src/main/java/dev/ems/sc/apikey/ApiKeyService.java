package dev.ems.sc.apikey;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.ApiKeyIssued;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues and revokes operator API keys. sc-service is the issuer; every service (this one included)
 * learns of a key from {@link ApiKeyIssued} on the compacted key topic.
 */
@Service
public class ApiKeyService {

  public record IssuedKey(UUID id, String name, Role role, Instant issuedAt, String key) {}

  record KeyInfo(UUID id, String name, Role role, Instant issuedAt, Instant revokedAt) {}

  private final ApiKeys keys;
  private final Outbox outbox;
  private final JdbcClient jdbc;

  ApiKeyService(ApiKeys keys, Outbox outbox, JdbcClient jdbc) {
    this.keys = keys;
    this.outbox = outbox;
    this.jdbc = jdbc;
  }

  @Transactional
  public IssuedKey issue(String tenant, String name, Role role) {
    String key = ApiKeys.generate();
    UUID id = UUID.randomUUID();
    Instant now = Instant.now();
    String hash = ApiKeys.hash(key);
    keys.upsert(id, tenant, name, hash, role, now, null);
    publish(tenant, new ApiKeyIssued(id, name, hash, role.name(), now, null));
    return new IssuedKey(id, name, role, now, key);
  }

  @Transactional
  void revoke(String tenant, UUID id) {
    KeyRow row =
        jdbc.sql(
                "select name, key_hash, role, created_at from api_key where id = ? and tenant_id = ?"
                    + " and revoked_at is null")
            .params(id, tenant)
            .query(
                (rs, n) ->
                    new KeyRow(
                        rs.getString(1),
                        rs.getString(2),
                        Role.valueOf(rs.getString(3)),
                        rs.getTimestamp(4).toInstant()))
            .optional()
            .orElseThrow(() -> new EmsException(ErrorCode.NOT_FOUND, "No active API key " + id));
    Instant now = Instant.now();
    keys.upsert(id, tenant, row.name, row.hash, row.role, row.createdAt, now);
    publish(tenant, new ApiKeyIssued(id, row.name, row.hash, row.role.name(), row.createdAt, now));
  }

  @Transactional(readOnly = true)
  List<KeyInfo> list(String tenant) {
    return jdbc.sql(
            "select id, name, role, created_at, revoked_at from api_key where tenant_id = ?"
                + " order by created_at")
        .param(tenant)
        .query(
            (rs, n) ->
                new KeyInfo(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    Role.valueOf(rs.getString(3)),
                    rs.getTimestamp(4).toInstant(),
                    rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()))
        .list();
  }

  private void publish(String tenant, ApiKeyIssued event) {
    outbox.append(
        Topics.SC_API_KEYS,
        EventEnvelope.of("/sc-service/api-keys", tenant, event.keyId().toString(), event));
  }

  private record KeyRow(String name, String hash, Role role, Instant createdAt) {}
}
