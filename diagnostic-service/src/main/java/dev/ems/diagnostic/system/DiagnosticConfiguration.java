package dev.ems.diagnostic.system;

import dev.ems.platform.kafka.KafkaErrorHandling;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

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
    // the platform's rule: an outage delays heartbeats, never dead-letters them
    factory.setCommonErrorHandler(KafkaErrorHandling.errorHandler(template));
    factory.setConcurrency(properties.telemetryConcurrency());
    ContainerProperties container = factory.getContainerProperties();
    container.setAckMode(ContainerProperties.AckMode.BATCH);
    container.setIdlePartitionEventInterval(properties.sweepInterval().toMillis());
    return factory;
  }
}
