package dev.ems.launcher;

import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import dev.ems.platform.security.ApiKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code ./ems up}: the whole suite in one process on a machine with nothing but a JDK — an
 * embedded PostgreSQL and an embedded KRaft Kafka broker with their data in {@code .ems/} (kept
 * across runs), and the five services on their usual ports, schemas and consumer groups. SIGTERM or
 * Ctrl-C stops the services, then Kafka, then PostgreSQL.
 *
 * <p>Settings (environment): {@code EMS_HOME} (data folder, default {@code .ems}), {@code
 * EMS_PG_PORT} (15432), {@code EMS_KAFKA_PORT} (19092). The secrets, each from its environment
 * variable or else made at random on first start and kept beside the data, readable by the owner
 * only: {@code EMS_BOOTSTRAP_ADMIN_KEY} ({@code .ems/admin-key}), {@code EMS_INTERNAL_API_KEY}
 * ({@code .ems/internal-api-key}), {@code EMS_PKI_KEY_ENCRYPTION_KEY} ({@code
 * .ems/pki-key-encryption-key}), {@code EMS_SECRETS_KEY} ({@code .ems/secrets-key}). {@code
 * EMS_FAULT_CONTROL=true} (bench/chaos.sh only) lets files stop Kafka and PostgreSQL ({@link
 * FaultControl}).
 */
public final class EmsLauncher {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private EmsLauncher() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    // five applications share one logback context: configure it once (logback.xml) instead of
    // letting each application re-initialise it
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    // EMS_LOG_FORMAT=json: JSON lines (logback-json.xml) instead of the readable console; set
    // before the first logger exists, when Logback reads its configuration
    if ("json".equalsIgnoreCase(env("EMS_LOG_FORMAT", "console").strip())) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Path home = Path.of(env("EMS_HOME", ".ems")).toAbsolutePath();
    Files.createDirectories(home);
    // data of a run from before the key-encryption key was generated has its CA keys under the old
    // development key
    boolean earlierData = Files.isDirectory(home.resolve("postgres"));
    int pgPort = Integer.parseInt(env("EMS_PG_PORT", "15432"));
    int kafkaPort = Integer.parseInt(env("EMS_KAFKA_PORT", "19092"));

    // PostgreSQL (its own processes) and Kafka (in this JVM) start side by side: one waits for
    // its server process while the other loads and runs the broker
    System.out.println(
        "EMS: starting PostgreSQL ("
            + home.resolve("postgres")
            + ") and Kafka ("
            + home.resolve("kafka")
            + ")");
    var postgresStart =
        CompletableFuture.supplyAsync(
            () -> {
              PostgresServer server = PostgresServer.start(home.resolve("postgres"), pgPort);
              return new Database(server, server.jdbcUrl("ems"));
            },
            command -> Thread.ofPlatform().name("ems-postgres-start").start(command));
    KafkaBroker kafka;
    try {
      kafka = new KafkaBroker(home.resolve("kafka"), kafkaPort, kafkaPort + 1).start();
    } catch (RuntimeException e) {
      postgresStart.thenAccept(d -> d.server().close());
      throw e;
    }
    Database database;
    try {
      database = postgresStart.join();
    } catch (CompletionException e) {
      kafka.stop();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    PostgresServer postgres = database.server();
    String jdbcUrl = database.jdbcUrl();
    System.out.printf(
        "EMS: PostgreSQL and Kafka up in %.1f s%n", (System.nanoTime() - started) / 1e9);

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.datasource.url", jdbcUrl);
    settings.put("spring.datasource.username", "postgres");
    settings.put("spring.datasource.password", "");
    settings.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    settings.put(
        "ems.platform.bootstrap-admin-key",
        secret(home, "EMS_BOOTSTRAP_ADMIN_KEY", "admin-key", ApiKeys::generate));
    String internalKey =
        secret(home, "EMS_INTERNAL_API_KEY", "internal-api-key", () -> randomHex(32));
    settings.put("pki.internal-api-key", internalKey);
    settings.put("device-api.pki.internal-api-key", internalKey);
    settings.put(
        "pki.key-encryption-key",
        secret(
            home,
            "EMS_PKI_KEY_ENCRYPTION_KEY",
            "pki-key-encryption-key",
            () -> earlierData ? legacyKeyEncryptionKey() : random(32)));
    settings.put(
        "sc.secrets-key", secret(home, "EMS_SECRETS_KEY", "secrets-key", () -> random(32)));
    settings.put("logging.include-application-name", "false");
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Suite.Service service : Suite.SERVICES) {
      String variable = service.name().toUpperCase().replace('-', '_') + "_PORT";
      ports.put(service.name(), Integer.parseInt(env(variable, "" + service.defaultPort())));
    }

    System.out.println("EMS: starting the services");
    Suite suite;
    try {
      // EMS_START_THREADS: services started at once, all five by default: quiet, with the AOT
      // cache, ready in 10.5-14.2 s against 15.7-16.7 s with 3 and 16.6-19.3 s with 2 (the
      // services' starts wait on the database and the broker as much as they compute; README
      // "Cold start")
      suite =
          Suite.start(
              settings,
              ports,
              Integer.parseInt(env("EMS_START_THREADS", String.valueOf(Suite.SERVICES.size()))));
    } catch (RuntimeException e) {
      kafka.stop();
      postgres.close();
      throw e;
    }
    var currentPostgres = new java.util.concurrent.atomic.AtomicReference<>(postgres);
    if ("true".equalsIgnoreCase(env("EMS_FAULT_CONTROL", "false"))) {
      FaultControl.watch(
          home,
          kafka,
          currentPostgres,
          () -> PostgresServer.start(home.resolve("postgres"), pgPort));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("EMS: stopping");
                  suite.close();
                  kafka.stop();
                  PostgresServer running = currentPostgres.get();
                  if (running != null) {
                    running.close();
                  }
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

  private record Database(PostgresServer server, String jdbcUrl) {}

  /** A secret: from the environment, or made once and kept beside the data (mode 600). */
  private static String secret(Path home, String variable, String fileName, Supplier<String> make)
      throws IOException {
    String fromEnv = System.getenv(variable);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    Path file = home.resolve(fileName);
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String value = make.get();
    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.writeString(file, value + "\n");
    Files.setPosixFilePermissions(file, OWNER_ONLY);
    return value;
  }

  /** Hex of that many random bytes: safe in a header and on a command line. */
  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Base64 of that many random bytes. */
  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /**
   * The key-encryption key that was the default before there was none: a data folder of such a run
   * keeps its CA under it. It is written to {@code .ems/pki-key-encryption-key}, so pki-service
   * warns about it on every start; a new data folder gets a random key.
   */
  private static String legacyKeyEncryptionKey() {
    System.out.println(
        "EMS: WARNING: this data folder's CA keys are encrypted with the old public development"
            + " key; it is kept in pki-key-encryption-key. Start from an empty EMS_HOME for a"
            + " random key.");
    return "ZGV2LW9ubHktcGtpLWtleS1lbmNyeXB0aW9uLWtleSE=";
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
