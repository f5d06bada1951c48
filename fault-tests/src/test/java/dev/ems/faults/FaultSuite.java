package dev.ems.faults;

import dev.ems.device.DeviceApiApplication;
import dev.ems.embedded.FreePorts;
import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A suite of its own for fault injection: its own embedded PostgreSQL and KRaft broker (data in a
 * test folder, so they can be stopped and started again on the same data without touching the
 * infrastructure other tests share), the five services, and a second device-api replica.
 */
final class FaultSuite implements FaultTarget, AutoCloseable {

  private final Path dir;
  private final int pgPort = FreePorts.next();
  private final KafkaBroker kafka;
  private final Map<String, String> settings = new HashMap<>();
  private PostgresServer postgres;
  private String jdbcUrl;
  private Suite suite;
  private ConfigurableApplicationContext replica;
  // the replicas' URLs as they started: a stopped server has no port (-1) any more
  private final List<String> deviceApis = new ArrayList<>();

  FaultSuite(Path dir) {
    this.dir = dir;
    int kafkaPort = FreePorts.next();
    this.kafka = new KafkaBroker(dir.resolve("kafka"), kafkaPort, FreePorts.next());
  }

  FaultSuite start() throws InterruptedException {
    startPostgres();
    kafka.start();
    // TestInfrastructure's secrets, never its shared database or broker
    settings.put("ems.platform.bootstrap-admin-key", TestInfrastructure.ADMIN_KEY);
    settings.put("ems.platform.bootstrap-tenant", TestInfrastructure.BOOTSTRAP_TENANT);
    settings.put("pki.internal-api-key", TestInfrastructure.INTERNAL_API_KEY);
    settings.put("device-api.pki.internal-api-key", TestInfrastructure.INTERNAL_API_KEY);
    settings.put("pki.key-encryption-key", TestInfrastructure.PKI_KEY_ENCRYPTION_KEY);
    settings.put("sc.secrets-key", TestInfrastructure.SC_SECRETS_KEY);
    settings.put("spring.datasource.url", jdbcUrl);
    settings.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    // a request whose record a fault lost is queued again soon (production default: 5 min)
    settings.put("sc.stuck-request-after", "PT45S");
    settings.put("sc.stuck-requests-interval", "PT5S");
    suite = Suite.start(settings, Map.of(), 2);
    List<String> args = new ArrayList<>();
    settings.forEach((k, v) -> args.add("--" + k + "=" + v));
    args.add("--device-api.pki.url=http://127.0.0.1:" + suite.port("pki-service"));
    args.add("--server.port=0");
    // its own consumer group for the events that feed its caches (the suite's is the host name)
    args.add("--device-api.instance-id=fault-replica-b");
    var app = new SpringApplicationBuilder(DeviceApiApplication.class, OwnNettyResources.class);
    app.registerShutdownHook(false);
    replica = app.run(args.toArray(String[]::new));
    deviceApis.add("http://127.0.0.1:" + suite.port("device-api"));
    deviceApis.add(
        "http://127.0.0.1:" + ((WebServerApplicationContext) replica).getWebServer().getPort());
    return this;
  }

  /**
   * The replica's own Reactor Netty event loops: both replicas run in this JVM, and a context that
   * closes disposes Reactor Netty's global loops — killing the first replica stopped the second
   * one's server too (separate processes in production share nothing).
   */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class OwnNettyResources {
    @org.springframework.context.annotation.Bean
    org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
      var factory = new org.springframework.http.client.ReactorResourceFactory();
      factory.setUseGlobalResources(false);
      return factory;
    }
  }

  Suite suite() {
    return suite;
  }

  @Override
  public int port(String service) {
    return suite.port(service);
  }

  @Override
  public String deviceApi(int replicaIndex) {
    return deviceApis.get(replicaIndex);
  }

  /** Kills the suite's own device-api (the replica keeps serving). */
  void killFirstDeviceApi() {
    suite.context("device-api").close();
  }

  void stopPostgres() {
    postgres.close();
  }

  void startPostgres() {
    postgres = PostgresServer.start(dir.resolve("postgres"), pgPort);
    jdbcUrl = postgres.jdbcUrl("ems");
  }

  void stopKafka() {
    kafka.stop();
  }

  void startKafka() {
    kafka.start();
  }

  @Override
  public Connection database() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }

  @Override
  public void close() {
    if (replica != null) {
      replica.close();
    }
    if (suite != null) {
      suite.close();
    }
    kafka.stop();
    if (postgres != null) {
      postgres.close();
    }
  }
}
