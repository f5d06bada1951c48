package dev.ems.embedded;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' PostgreSQL and Kafka (the images docker-compose.yml runs), one of each per JVM,
 * for {@code EMS_TEST_INFRA=containers} on a Docker host. Only {@link TestInfrastructure} calls
 * here, and only in that mode: without it no Testcontainers class is loaded.
 *
 * <p>Untested on the machines this project's CI uses (no Docker engine there): the embedded path
 * stays the default and the one CI runs.
 */
final class ContainerInfrastructure {

  static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:16");
  static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.1.0");

  private static PostgreSQLContainer postgres;
  private static KafkaContainer kafka;

  private ContainerInfrastructure() {}

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Both containers, started together on first use and stopped at JVM exit. */
  static synchronized void start() {
    if (postgres == null) {
      PostgreSQLContainer pg = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName("ems_test");
      KafkaContainer k = new KafkaContainer(KAFKA_IMAGE);
      Startables.deepStart(pg, k).join();
      postgres = pg;
      kafka = k;
      TestInfrastructure.atExit(pg::stop);
      TestInfrastructure.atExit(k::stop);
    }
  }

  static synchronized PostgreSQLContainer postgres() {
    start();
    return postgres;
  }

  static synchronized KafkaContainer kafka() {
    start();
    return kafka;
  }

  /** The JDBC URL with user and password, as {@link TestInfrastructure#jdbcUrl()} gives it. */
  static String jdbcUrl() {
    PostgreSQLContainer pg = postgres();
    String url = pg.getJdbcUrl();
    return url
        + (url.contains("?") ? "&" : "?")
        + "user="
        + pg.getUsername()
        + "&password="
        + pg.getPassword();
  }
}
