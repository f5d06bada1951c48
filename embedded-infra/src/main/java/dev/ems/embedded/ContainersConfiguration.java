package dev.ems.embedded;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The containers as {@code @ServiceConnection}s, so Spring Boot derives the datasource and Kafka
 * connection details from them; registered into every test context by {@link
 * EmbeddedInfraContextCustomizerFactory} when {@code EMS_TEST_INFRA=containers} and Docker answers.
 * The containers are the JVM's shared ones: a closing context must not stop them ({@code
 * destroyMethod = ""}).
 */
@Configuration(proxyBeanMethods = false)
class ContainersConfiguration {

  @Bean(destroyMethod = "")
  @ServiceConnection
  PostgreSQLContainer emsPostgresContainer() {
    return ContainerInfrastructure.postgres();
  }

  @Bean(destroyMethod = "")
  @ServiceConnection
  KafkaContainer emsKafkaContainer() {
    return ContainerInfrastructure.kafka();
  }
}
