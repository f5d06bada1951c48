package dev.ems.device.identity;

import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.Topics;
import dev.ems.device.system.Replica;
import dev.ems.platform.kafka.EventReader;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** PKI's certificate events keep the credentials current; a revocation locks the device out. */
@Component
class CertificateEventsListener {

  private final EventReader events;
  private final Credentials credentials;

  CertificateEventsListener(EventReader events, Credentials credentials) {
    this.events = events;
    this.credentials = credentials;
  }

  @KafkaListener(topics = Topics.PKI_CERTIFICATES, groupId = Replica.CACHE_GROUP)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, CertificateIssued.class)) {
      var event = events.decode(record, CertificateIssued.class);
      var c = event.payload();
      if (c.deviceId() != null) {
        credentials.issued(
            c.fingerprintSha256().toLowerCase(Locale.ROOT),
            c.deviceId(),
            event.tenant(),
            c.serialNumber(),
            c.notAfter());
      }
    } else if (events.is(record, CertificateRevoked.class)) {
      var event = events.decode(record, CertificateRevoked.class);
      var c = event.payload();
      if (c.deviceId() != null) {
        credentials.revoked(
            c.fingerprintSha256().toLowerCase(Locale.ROOT),
            c.deviceId(),
            event.tenant(),
            c.serialNumber());
      }
    }
  }
}
