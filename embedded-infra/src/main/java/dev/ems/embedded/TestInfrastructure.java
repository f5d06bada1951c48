package dev.ems.embedded;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The real infrastructure every test JVM shares: one PostgreSQL database and one Kafka broker,
 * started on first use.
 *
 * <p>PostgreSQL: when {@code EMS_TEST_POSTGRES_URL} is set (CI points it at the machine's server,
 * e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}) a fresh database is created
 * on that server for this JVM and dropped at exit; otherwise an embedded PostgreSQL is started.
 * Kafka: an in-process KRaft broker on free ports. Never H2, never a mocked broker.
 */
public final class TestInfrastructure {

  public static final String POSTGRES_URL_ENV = "EMS_TEST_POSTGRES_URL";

  /**
   * {@code containers}: Testcontainers' PostgreSQL and Kafka instead of the embedded ones, when a
   * Docker engine answers (else the embedded path, with a warning). Unset: embedded (the default,
   * and what CI runs).
   */
  public static final String INFRA_ENV = "EMS_TEST_INFRA";

  private static Boolean containers;

  /** The bootstrap admin API key every test context registers. */
  public static final String ADMIN_KEY = "test-admin-key-0123456789";

  /** The tenant of {@link #ADMIN_KEY}: the suite's system tenant in tests. */
  public static final String BOOTSTRAP_TENANT = "default";

  /**
   * The internal service key (device-api → pki-service, docs/adr/0006) of this JVM's test contexts:
   * random, since the services have no default for it.
   */
  public static final String INTERNAL_API_KEY = "test-internal-" + randomHex(16);

  /** pki-service's key-encryption key (base64 AES-256) of this JVM's test contexts: random. */
  public static final String PKI_KEY_ENCRYPTION_KEY = randomBase64(32);

  /** sc-service's key for secret variables (base64 AES-256) of this JVM's test contexts: random. */
  public static final String SC_SECRETS_KEY = randomBase64(32);

  private static String jdbcUrl;
  private static KafkaBroker kafka;
  private static PostgresServer embeddedPostgres;

  /** What runs at JVM exit, last registered first. */
  private static final Deque<Runnable> AT_EXIT = new ArrayDeque<>();

  private static boolean exitHookAdded;

  private TestInfrastructure() {}

  /**
   * Runs the action at JVM exit, before everything registered earlier: a suite started on this
   * infrastructure stops before Kafka stops and the database is dropped. (Separate shutdown hooks
   * run concurrently: the services then waited for a dropped database and a stopped broker until
   * Surefire killed the fork after 30 s.)
   */
  public static synchronized void atExit(Runnable action) {
    if (!exitHookAdded) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(TestInfrastructure::runAtExit, "test-infrastructure-exit"));
      exitHookAdded = true;
    }
    AT_EXIT.push(action);
  }

  private static void runAtExit() {
    while (true) {
      Runnable action;
      synchronized (TestInfrastructure.class) {
        action = AT_EXIT.poll();
      }
      if (action == null) {
        return;
      }
      try {
        action.run();
      } catch (RuntimeException e) {
        System.err.println("error at exit: " + e);
      }
    }
  }

  /**
   * The settings that put a Spring application started by hand (a suite, a second replica) on this
   * infrastructure; test contexts get them from {@link EmbeddedInfraContextCustomizerFactory}.
   */
  public static Map<String, String> springProperties() {
    return Map.of(
        "spring.datasource.url", jdbcUrl(),
        "spring.kafka.bootstrap-servers", kafkaBootstrapServers(),
        "ems.platform.bootstrap-admin-key", ADMIN_KEY,
        "ems.platform.bootstrap-tenant", BOOTSTRAP_TENANT,
        "pki.internal-api-key", INTERNAL_API_KEY,
        "device-api.pki.internal-api-key", INTERNAL_API_KEY,
        "pki.key-encryption-key", PKI_KEY_ENCRYPTION_KEY,
        "sc.secrets-key", SC_SECRETS_KEY,
        // every trace recorded in tests (production default: EMS_TRACING_SAMPLING 0.1)
        "management.tracing.sampling.probability", "1.0");
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String randomBase64(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** Whether this JVM runs on Testcontainers ({@link #INFRA_ENV}) rather than embedded. */
  public static synchronized boolean containers() {
    if (containers == null) {
      boolean asked = "containers".equalsIgnoreCase(System.getenv(INFRA_ENV));
      containers = asked && dockerAvailable();
      if (asked && !containers) {
        System.err.println(
            INFRA_ENV + "=containers but no Docker engine answers: embedded PostgreSQL and Kafka");
      }
    }
    return containers;
  }

  private static boolean dockerAvailable() {
    try {
      return ContainerInfrastructure.dockerAvailable();
    } catch (LinkageError e) {
      return false; // Testcontainers is not on this classpath (the launcher excludes it)
    }
  }

  /** The Kafka bootstrap servers of this JVM's broker (embedded or container). */
  public static String kafkaBootstrapServers() {
    return containers()
        ? ContainerInfrastructure.kafka().getBootstrapServers()
        : kafka().bootstrapServers();
  }

  /** JDBC URL (user included) of this JVM's test database. */
  public static synchronized String jdbcUrl() {
    if (jdbcUrl == null && containers()) {
      jdbcUrl = ContainerInfrastructure.jdbcUrl();
    }
    if (jdbcUrl == null) {
      String external = System.getenv(POSTGRES_URL_ENV);
      String database =
          "ems_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      if (external != null && !external.isBlank()) {
        jdbcUrl = createDatabase(external, database);
      } else {
        embeddedPostgres = PostgresServer.temporary();
        jdbcUrl = embeddedPostgres.jdbcUrl(database);
        atExit(embeddedPostgres::close);
      }
    }
    return jdbcUrl;
  }

  /**
   * This JVM's embedded Kafka broker, running; tests that stop and start it (outages) need the
   * embedded path. With {@link #INFRA_ENV}{@code =containers} use {@link #kafkaBootstrapServers()}.
   */
  public static synchronized KafkaBroker kafka() {
    if (containers()) {
      throw new IllegalStateException(
          "this test needs the embedded broker; it does not run with " + INFRA_ENV + "=containers");
    }
    if (kafka == null) {
      kafka = KafkaBroker.temporary().start();
      atExit(kafka::stop);
    }
    if (!kafka.isRunning()) {
      kafka.start();
    }
    return kafka;
  }

  private static String createDatabase(String serverUrl, String database) {
    PostgresServer.createDatabaseIfMissing(serverUrl, database);
    String url = withDatabase(serverUrl, database);
    atExit(() -> drop(serverUrl, database));
    return url;
  }

  /** Replaces the database path segment of a {@code jdbc:postgresql://host:port/db?params} URL. */
  static String withDatabase(String url, String database) {
    int hostStart = url.indexOf("//") + 2;
    int slash = url.indexOf('/', hostStart);
    int query = url.indexOf('?', hostStart);
    String hostPart =
        slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
    String params = query < 0 ? "" : url.substring(query);
    return hostPart + "/" + database + params;
  }

  private static void drop(String serverUrl, String database) {
    try (Connection c = DriverManager.getConnection(serverUrl);
        Statement s = c.createStatement()) {
      s.execute("drop database if exists \"" + database + "\" with (force)");
    } catch (SQLException e) {
      // best effort at exit: a left-over test database is harmless and named ems_test_*
    }
  }
}
