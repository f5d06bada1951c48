package dev.ems.platform.kafka;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventDecodingException;
import dev.ems.common.event.Topics;
import dev.ems.platform.PlatformProperties;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka conventions of the suite: all topics (and their dead-letter topics) exist; a record that
 * fails is retried a bounded number of times and then moved to {@code <topic>.dlt}, so it never
 * blocks its partition; a record that is not a valid event goes there at once.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConfiguration {

  @Bean
  EventReader eventReader(CloudEventCodec codec) {
    return new EventReader(codec);
  }

  @Bean
  DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> template) {
    var recoverer =
        new DeadLetterPublishingRecoverer(
            template, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
    var backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxAttempts(3);
    var handler = new DefaultErrorHandler(recoverer, backOff);
    handler.addNotRetryableExceptions(EventDecodingException.class, IllegalArgumentException.class);
    return handler;
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

  @Bean("kafkaHealthIndicator")
  KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
    return new KafkaHealthIndicator(admin);
  }
}
