package dev.ems.diagnostic.health;

import dev.ems.common.event.CertificateExpiring;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Certificate state from PKI: issued → valid, expiring → WARNING, revoked → CRITICAL. */
@Component
class CertificateListener {

  private final EventReader events;
  private final HealthService health;

  CertificateListener(EventReader events, HealthService health) {
    this.events = events;
    this.health = health;
  }

  @KafkaListener(topics = Topics.PKI_CERTIFICATES)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, CertificateIssued.class)) {
      var event = events.decode(record, CertificateIssued.class);
      var c = event.payload();
      health.apply(
          event.tenant(), c.deviceId(), "pki", s -> s.withCert(s.cert().issued(c.serialNumber())));
    } else if (events.is(record, CertificateExpiring.class)) {
      var event = events.decode(record, CertificateExpiring.class);
      var c = event.payload();
      health.apply(
          event.tenant(),
          c.deviceId(),
          "pki",
          s -> s.withCert(s.cert().expiring(c.serialNumber(), String.valueOf(c.notAfter()))));
    } else if (events.is(record, CertificateRevoked.class)) {
      var event = events.decode(record, CertificateRevoked.class);
      var c = event.payload();
      health.apply(
          event.tenant(),
          c.deviceId(),
          "pki",
          s -> s.withCert(s.cert().revoked(c.serialNumber(), c.reason())));
    }
  }
}
