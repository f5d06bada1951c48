package dev.ems.sc.webhook;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.secrets.Secrets;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook subscriptions of a tenant. The signing secret is generated here, shown once (in the
 * answer to its creation) and stored sealed under {@code EMS_SECRETS_KEY}, bound to the tenant.
 */
@Service
class WebhookSubscriptions {

  static final int MAX_PER_TENANT = 100;

  record Subscription(
      UUID id,
      String url,
      List<String> eventTypes,
      boolean enabled,
      Instant failingSince,
      Instant disabledAt,
      String disabledReason,
      Instant createdAt) {}

  record Created(
      UUID id,
      String url,
      List<String> eventTypes,
      boolean enabled,
      Instant createdAt,
      String secret) {}

  private static final String COLUMNS =
      "id, url, event_types, enabled, failing_since, disabled_at, disabled_reason, created_at";

  private final JdbcClient jdbc;
  private final Secrets secrets;
  private final TargetGuard guard;

  WebhookSubscriptions(JdbcClient jdbc, Secrets secrets, TargetGuard guard) {
    this.jdbc = jdbc;
    this.secrets = secrets;
    this.guard = guard;
  }

  @Transactional
  Created create(String tenant, String url, List<String> eventTypes) {
    checkTarget(url);
    List<String> types = checkTypes(eventTypes);
    long count =
        jdbc.sql("select count(*) from webhook_subscription where tenant_id = ?")
            .param(tenant)
            .query(Long.class)
            .single();
    if (count >= MAX_PER_TENANT) {
      throw new EmsException(
          ErrorCode.CONFLICT, "A tenant has at most " + MAX_PER_TENANT + " webhook subscriptions");
    }
    UUID id = UUID.randomUUID();
    String secret = WebhookSignature.newSecret();
    Instant now = Instant.now();
    jdbc.sql(
            "insert into webhook_subscription (id, tenant_id, url, event_types, secret_sealed,"
                + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            id,
            tenant,
            url,
            types.toArray(String[]::new),
            secrets.sealText(tenant, secret),
            Timestamp.from(now),
            Timestamp.from(now))
        .update();
    return new Created(id, url, types, true, now, secret);
  }

  @Transactional(readOnly = true)
  List<Subscription> list(String tenant) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from webhook_subscription where tenant_id = ? order by created_at")
        .param(tenant)
        .query((rs, n) -> map(rs))
        .list();
  }

  @Transactional(readOnly = true)
  Subscription get(String tenant, UUID id) {
    return jdbc.sql(
            "select " + COLUMNS + " from webhook_subscription where tenant_id = ? and id = ?")
        .params(tenant, id)
        .query((rs, n) -> map(rs))
        .optional()
        .orElseThrow(() -> EmsException.notFound(ErrorCode.WEBHOOK_NOT_FOUND, id));
  }

  /** Changes target, types or state; enabling a disabled subscription forgets its failures. */
  @Transactional
  Subscription update(
      String tenant, UUID id, String url, List<String> eventTypes, boolean enabled) {
    get(tenant, id);
    checkTarget(url);
    List<String> types = checkTypes(eventTypes);
    jdbc.sql(
            """
            update webhook_subscription set url = ?, event_types = ?, updated_at = now(),
              failing_since = case when ? and not enabled then null else failing_since end,
              disabled_at = case when ? then null else coalesce(disabled_at, now()) end,
              disabled_reason = case when ? then null else coalesce(disabled_reason, 'disabled by an operator') end,
              enabled = ?
            where tenant_id = ? and id = ?
            """)
        .params(url, types.toArray(String[]::new), enabled, enabled, enabled, enabled, tenant, id)
        .update();
    return get(tenant, id);
  }

  @Transactional
  void delete(String tenant, UUID id) {
    int deleted =
        jdbc.sql("delete from webhook_subscription where tenant_id = ? and id = ?")
            .params(tenant, id)
            .update();
    if (deleted == 0) {
      throw EmsException.notFound(ErrorCode.WEBHOOK_NOT_FOUND, id);
    }
  }

  private void checkTarget(String url) {
    try {
      URI uri = TargetGuard.parse(url);
      guard.check(uri, false);
    } catch (TargetGuard.Refused e) {
      throw new EmsException(ErrorCode.WEBHOOK_TARGET_REFUSED, e.getMessage(), "url");
    }
  }

  private static List<String> checkTypes(List<String> eventTypes) {
    for (String type : eventTypes) {
      if (!WebhookEventTypes.ALL.contains(type)) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED,
            "Unknown event type "
                + type
                + "; offered: "
                + WebhookEventTypes.ALL.stream().sorted().toList(),
            "eventTypes");
      }
    }
    return eventTypes.stream().distinct().sorted().toList();
  }

  private static Subscription map(ResultSet rs) throws SQLException {
    Array types = rs.getArray(3);
    return new Subscription(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        Arrays.asList((String[]) types.getArray()),
        rs.getBoolean(4),
        instant(rs.getTimestamp(5)),
        instant(rs.getTimestamp(6)),
        rs.getString(7),
        rs.getTimestamp(8).toInstant());
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
