package dev.ems.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What every service adds to the Prometheus scrape (issue 15): the scrape credential and the outbox
 * gauges. HTTP, JVM, pool and Kafka client meters (consumer lag included) come from Spring Boot's
 * own auto-configuration on the auto-configured registry, which also carries exemplars once a
 * tracer is present.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

  @Bean
  ScrapeToken scrapeToken(@Value("${ems.metrics.scrape-token:}") String token) {
    return new ScrapeToken(token);
  }

  @Bean
  OutboxMetrics outboxMetrics(JdbcClient jdbc, MeterRegistry registry) {
    OutboxMetrics metrics = new OutboxMetrics(jdbc, System::nanoTime);
    metrics.bindTo(registry);
    return metrics;
  }

  @Bean
  DeadLetterMetrics deadLetterMetrics(KafkaAdmin admin, MeterRegistry registry) {
    DeadLetterMetrics metrics = new DeadLetterMetrics(admin);
    metrics.bindTo(registry);
    return metrics;
  }
}
