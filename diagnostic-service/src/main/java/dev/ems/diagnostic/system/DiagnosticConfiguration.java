package dev.ems.diagnostic.system;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
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
   * whole poll (a few round trips per batch instead of several per event).
   */
  @Bean
  ConcurrentKafkaListenerContainerFactory<String, byte[]> telemetryListenerFactory(
      ConsumerFactory<String, byte[]> consumers,
      DefaultErrorHandler errorHandler,
      DiagnosticProperties properties) {
    var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
    factory.setConsumerFactory(consumers);
    factory.setBatchListener(true);
    factory.setCommonErrorHandler(errorHandler);
    factory.setConcurrency(properties.telemetryConcurrency());
    factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
    return factory;
  }
}
