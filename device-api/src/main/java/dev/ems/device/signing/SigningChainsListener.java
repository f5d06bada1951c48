package dev.ems.device.signing;

import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the config-signing chains pki-service issues. They live in the shared read model (no
 * replica cache), so the replicas share one consumer group.
 */
@Component
class SigningChainsListener {

  private final EventReader events;
  private final SigningChains chains;

  SigningChainsListener(EventReader events, SigningChains chains) {
    this.events = events;
    this.chains = chains;
  }

  @KafkaListener(topics = Topics.PKI_CONFIG_SIGNING)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigSigningCertificateIssued.class)) {
      var event = events.decode(record, ConfigSigningCertificateIssued.class);
      var c = event.payload();
      if (!event.tenant().equals(c.tenant())) {
        throw new IllegalArgumentException(
            "config-signing chain " + c.keyId() + " names another tenant than its event");
      }
      chains.store(
          event.tenant(),
          new SigningChains.Chain(c.keyId(), c.chainPem(), c.notBefore(), c.notAfter()));
    }
  }
}
