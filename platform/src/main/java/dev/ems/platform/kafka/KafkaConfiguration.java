package dev.ems.platform.kafka;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.event.Topics;
import dev.ems.platform.PlatformProperties;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Kafka conventions of the suite: all topics (and their dead-letter topics) exist; a record that
 * fails is handled by {@link KafkaErrorHandling}'s rule (transient failures retried until they go
 * away, poison dead-lettered to {@code <topic>.dlt}).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConfiguration {

  @Bean
  EventReader eventReader(CloudEventCodec codec) {
    return new EventReader(codec);
  }

  @Bean
  DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> template) {
    return KafkaErrorHandling.errorHandler(template);
  }

  @Bean
  KafkaAdmin.NewTopics emsTopics(PlatformProperties properties) {
    List<NewTopic> topics = new ArrayList<>();
    for (Topics.TopicDefinition topic : Topics.ALL) {
      TopicBuilder builder =
          TopicBuilder.name(topic.name())
              .partitions(properties.kafkaPartitions())
              .replicas(properties.kafkaReplicationFactor());
      if (topic.compacted()) {
        builder.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
      }
      topics.add(builder.build());
      topics.add(
          TopicBuilder.name(Topics.deadLetter(topic.name()))
              .partitions(1)
              .replicas(properties.kafkaReplicationFactor())
              .build());
    }
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }

  @Bean
  DeadLetters deadLetters(
      ConsumerFactory<String, byte[]> consumers,
      KafkaTemplate<String, byte[]> template,
      KafkaListenerEndpointRegistry listeners,
      JdbcClient jdbc,
      PlatformTransactionManager transactions) {
    return new DeadLetters(
        consumers, template, listeners, jdbc, new TransactionTemplate(transactions));
  }

  /** The dead-letter API on servlet services (the operator API lives there). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @Import(DeadLetterController.class)
  static class DeadLetterApi {}

  @Bean("kafkaHealthIndicator")
  KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
    return new KafkaHealthIndicator(admin);
  }
}
