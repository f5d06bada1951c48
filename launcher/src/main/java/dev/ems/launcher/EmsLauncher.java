package dev.ems.launcher;

import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code ./ems up}: the whole suite in one process on a machine with nothing but a JDK — an
 * embedded PostgreSQL and an embedded KRaft Kafka broker with their data in {@code .ems/} (kept
 * across runs), and the five services on their usual ports, schemas and consumer groups. SIGTERM or
 * Ctrl-C stops the services, then Kafka, then PostgreSQL.
 *
 * <p>Settings (environment): {@code EMS_HOME} (data folder, default {@code .ems}), {@code
 * EMS_PG_PORT} (15432), {@code EMS_KAFKA_PORT} (19092), {@code EMS_BOOTSTRAP_ADMIN_KEY} (default: a
 * random key made on first start and kept in {@code .ems/admin-key}, readable by the owner only).
 */
public final class EmsLauncher {

  private EmsLauncher() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    // five applications share one logback context: configure it once (logback.xml) instead of
    // letting each application re-initialise it
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    Path home = Path.of(env("EMS_HOME", ".ems")).toAbsolutePath();
    Files.createDirectories(home);
    int pgPort = Integer.parseInt(env("EMS_PG_PORT", "15432"));
    int kafkaPort = Integer.parseInt(env("EMS_KAFKA_PORT", "19092"));

    System.out.println("EMS: starting PostgreSQL (" + home.resolve("postgres") + ")");
    PostgresServer postgres = PostgresServer.start(home.resolve("postgres"), pgPort);
    String jdbcUrl = postgres.jdbcUrl("ems");
    System.out.println("EMS: starting Kafka (" + home.resolve("kafka") + ")");
    KafkaBroker kafka = new KafkaBroker(home.resolve("kafka"), kafkaPort, kafkaPort + 1).start();

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.datasource.url", jdbcUrl);
    settings.put("spring.datasource.username", "postgres");
    settings.put("spring.datasource.password", "");
    settings.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    settings.put("ems.platform.bootstrap-admin-key", adminKey(home));
    settings.put("logging.include-application-name", "false");
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Suite.Service service : Suite.SERVICES) {
      String variable = service.name().toUpperCase().replace('-', '_') + "_PORT";
      ports.put(service.name(), Integer.parseInt(env(variable, "" + service.defaultPort())));
    }

    System.out.println("EMS: starting the services");
    Suite suite;
    try {
      suite = Suite.start(settings, ports, 2);
    } catch (RuntimeException e) {
      kafka.stop();
      postgres.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("EMS: stopping");
                  suite.close();
                  kafka.stop();
                  postgres.close();
                  System.out.println("EMS: stopped");
                  stopped.countDown();
                },
                "ems-shutdown"));

    double seconds = (System.nanoTime() - started) / 1e9;
    String urls =
        Suite.SERVICES.stream()
            .map(s -> s.name() + " http://localhost:" + suite.port(s.name()))
            .collect(Collectors.joining(", "));
    System.out.printf(
        "EMS ready in %.1f s: %s | admin API key in %s | data in %s%n",
        seconds, urls, home.resolve("admin-key"), home);
    stopped.await();
  }

  /** The bootstrap admin key: from the environment, or made once and kept beside the data. */
  private static String adminKey(Path home) throws IOException {
    String fromEnv = System.getenv("EMS_BOOTSTRAP_ADMIN_KEY");
    Path file = home.resolve("admin-key");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String key = dev.ems.platform.security.ApiKeys.generate();
    Files.writeString(file, key + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return key;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
