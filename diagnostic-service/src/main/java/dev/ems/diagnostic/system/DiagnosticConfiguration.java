package dev.ems.diagnostic.system;

import dev.ems.common.envelope.EventDecodingException;
import dev.ems.common.event.Topics;
import java.time.Clock;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.backoff.ExponentialBackOff;

/** Clock, scheduling and the batch listener factory of the telemetry firehose. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DiagnosticConfiguration {

  /** Injectable time, so offline detection and timeouts are testable without waiting. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Heartbeats arrive at ~1,700/s for 100k devices; a batch listener lets one transaction write a
   * whole poll (a few statements per batch instead of several per event); the listener's consumer
   * properties make polls big. Partition idle events keep the watermark of quiet partitions
   * current.
   */
  @Bean
  ConcurrentKafkaListenerContainerFactory<String, byte[]> telemetryListenerFactory(
      ConsumerFactory<String, byte[]> consumers,
      KafkaTemplate<String, byte[]> template,
      DiagnosticProperties properties) {
    var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
    factory.setConsumerFactory(consumers);
    factory.setBatchListener(true);
    factory.setCommonErrorHandler(telemetryErrorHandler(template));
    factory.setConcurrency(properties.telemetryConcurrency());
    ContainerProperties container = factory.getContainerProperties();
    container.setAckMode(ContainerProperties.AckMode.BATCH);
    container.setIdlePartitionEventInterval(properties.sweepInterval().toMillis());
    return factory;
  }

  /**
   * The platform's policy (bounded retries, then the dead-letter topic; undecodable records at
   * once) except for transient database failures: those are retried with back-off for as long as
   * they last, so an outage delays heartbeats but never dead-letters them.
   */
  static DefaultErrorHandler telemetryErrorHandler(KafkaTemplate<String, byte[]> template) {
    var recoverer =
        new DeadLetterPublishingRecoverer(
            template, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
    var bounded = new ExponentialBackOff(200, 2.0);
    bounded.setMaxAttempts(3);
    var handler = new DefaultErrorHandler(recoverer, bounded);
    handler.addNotRetryableExceptions(EventDecodingException.class, IllegalArgumentException.class);
    handler.setBackOffFunction(
        (record, e) -> {
          if (!TransientFailures.isTransient(e)) {
            return null; // the bounded default
          }
          var untilBack = new ExponentialBackOff(100, 2.0);
          untilBack.setMaxInterval(5_000);
          return untilBack; // no attempt or time limit
        });
    return handler;
  }
}
