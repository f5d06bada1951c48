package dev.ems.sc.webhook;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.event.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes the topics that carry webhook events in a group of its own, so webhooks neither slow nor
 * are slowed by the service's other consumers, and hands each offered event to the fan-out.
 */
@Component
class WebhookEventsListener {

  private final WebhookFanOut fanOut;

  WebhookEventsListener(WebhookFanOut fanOut) {
    this.fanOut = fanOut;
  }

  @KafkaListener(
      id = "${spring.application.name}-webhooks",
      topics = {
        Topics.SC_DEVICES,
        Topics.SC_CONFIGS,
        Topics.DEVICE_REPORTS,
        Topics.PKI_CERTIFICATES,
        Topics.DIAG_HEALTH,
        Topics.SC_WEBHOOKS
      })
  void on(ConsumerRecord<String, byte[]> record) {
    String type = header(record, CloudEventCodec.H_TYPE);
    if (type == null || !WebhookEventTypes.ALL.contains(type) || record.value() == null) {
      return;
    }
    String id = header(record, CloudEventCodec.H_ID);
    String tenant = header(record, CloudEventCodec.H_TENANT);
    String subject = header(record, CloudEventCodec.H_SUBJECT);
    String time = header(record, CloudEventCodec.H_TIME);
    if (id == null || tenant == null || subject == null || time == null) {
      return;
    }
    fanOut.accept(
        new WebhookFanOut.Event(id, type, tenant, subject, Instant.parse(time), record.value()));
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
