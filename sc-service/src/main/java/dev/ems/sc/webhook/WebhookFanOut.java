package dev.ems.sc.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an event into one webhook message (the body every subscriber receives) and one pending
 * delivery per enabled subscription of its tenant that asked for its type. Idempotent: a
 * redelivered event finds its message and deliveries and adds nothing.
 */
@Component
class WebhookFanOut {

  record Event(String id, String type, String tenant, String subject, Instant time, byte[] data) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final WebhookProperties properties;

  WebhookFanOut(JdbcClient jdbc, JsonMapper json, WebhookProperties properties) {
    this.jdbc = jdbc;
    this.json = json;
    this.properties = properties;
  }

  @Transactional
  public void accept(Event event) {
    List<UUID> subscriptions =
        jdbc.sql(
                "select id from webhook_subscription where tenant_id = ? and enabled"
                    + " and ? = any(event_types)")
            .params(event.tenant(), event.type())
            .query(UUID.class)
            .list();
    if (subscriptions.isEmpty()) {
      return;
    }
    String messageId = "msg_" + event.id();
    jdbc.sql(
            "insert into webhook_message (id, tenant_id, event_type, subject, body)"
                + " values (?, ?, ?, ?, ?) on conflict (id) do nothing")
        .params(messageId, event.tenant(), event.type(), event.subject(), body(event))
        .update();
    for (UUID subscription : subscriptions) {
      jdbc.sql(
              "insert into webhook_delivery (subscription_id, message_id, order_key, retry_until)"
                  + " values (?, ?, ?, now() + ?::interval)"
                  + " on conflict (subscription_id, message_id) do nothing")
          .params(
              subscription,
              messageId,
              event.subject(),
              properties.retryFor().toMillis() + " milliseconds")
          .update();
    }
  }

  /** The Standard Webhooks payload shape: {@code type}, {@code timestamp}, {@code data}. */
  private String body(Event event) {
    JsonNode data = json.readTree(event.data());
    if (data instanceof ObjectNode object) {
      WebhookEventTypes.WITHHELD.getOrDefault(event.type(), Set.of()).forEach(object::remove);
    }
    ObjectNode body = json.createObjectNode();
    body.put("type", event.type());
    body.put("timestamp", event.time().toString());
    body.put("id", event.id());
    body.put("subject", event.subject());
    body.put("tenant", event.tenant());
    body.set("data", data);
    return json.writeValueAsString(body);
  }
}
