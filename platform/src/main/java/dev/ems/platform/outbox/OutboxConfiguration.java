package dev.ems.platform.outbox;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.platform.PlatformProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The transactional outbox and its relay to Kafka. */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

  @Bean
  OutboxRelay outboxRelay(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      KafkaTemplate<String, byte[]> kafka,
      JsonMapper json,
      PlatformProperties properties) {
    return new OutboxRelay(
        jdbc,
        new TransactionTemplate(transactions),
        kafka,
        json,
        properties.outboxPollInterval(),
        properties.outboxLinger());
  }

  @Bean
  Outbox outbox(
      JdbcClient jdbc,
      CloudEventCodec codec,
      JsonMapper json,
      OutboxRelay relay,
      KafkaTemplate<String, byte[]> kafka) {
    // the limit the producer that relays these rows will apply
    RecordSizes sizes = RecordSizes.of(kafka.getProducerFactory().getConfigurationProperties());
    return new Outbox(jdbc, codec, json, relay, sizes);
  }
}
