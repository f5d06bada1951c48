package dev.ems.sc.signing;

import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.ConfigSigningKeyRotationRequested;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** pki-service's certificates for config-signing keys, and its requests to rotate them. */
@Component
class ConfigSigningListener {

  private final EventReader events;
  private final ConfigSigner signer;

  ConfigSigningListener(EventReader events, ConfigSigner signer) {
    this.events = events;
    this.signer = signer;
  }

  @KafkaListener(topics = Topics.PKI_CONFIG_SIGNING)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigSigningCertificateIssued.class)) {
      var event = events.decode(record, ConfigSigningCertificateIssued.class);
      signer.certificateIssued(event.tenant(), event.payload());
    } else if (events.is(record, ConfigSigningKeyRotationRequested.class)) {
      var event = events.decode(record, ConfigSigningKeyRotationRequested.class);
      signer.rotationRequested(event.tenant(), event.payload());
    }
  }
}
