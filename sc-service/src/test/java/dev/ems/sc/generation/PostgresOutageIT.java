package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.Topics;
import dev.ems.embedded.FreePorts;
import dev.ems.embedded.PostgresServer;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.platform.kafka.DeadLetters;
import dev.ems.platform.kafka.TransientFailures;
import dev.ems.platform.outbox.Outbox;
import dev.ems.sc.ScApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PostgreSQL stopped while config requests are being generated: the consumer retries them (the
 * platform's rule for transient failures) instead of dead-lettering them, and once PostgreSQL is
 * back every request ends COMPLETED with exactly one version. The service runs on a PostgreSQL of
 * its own (never the shared test server), stopped and started on the same data directory.
 */
class PostgresOutageIT {

  private static final int EACH = 30;

  @TempDir Path data;

  @Test
  void everyRequestCompletesAfterPostgresComesBack() throws Exception {
    int port = FreePorts.next();
    PostgresServer postgres = PostgresServer.start(data, port);
    String url = postgres.jdbcUrl("ems");
    try (ConfigurableApplicationContext app = start(url)) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      Outbox outbox = app.getBean(Outbox.class);
      var tx = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
      AtomicInteger transientFailures = new AtomicInteger();
      app.getBean(DefaultErrorHandler.class)
          .setRetryListeners(
              (record, failure, attempt) -> {
                if (TransientFailures.isTransient(failure)) {
                  transientFailures.incrementAndGet();
                }
              });

      // the first half queued as the API does (outbox); the second half only in the database,
      // its records published while PostgreSQL is down
      Map<UUID, UUID> viaOutbox = new HashMap<>();
      Map<UUID, UUID> duringOutage = new HashMap<>();
      tx.executeWithoutResult(
          s -> {
            for (int i = 0; i < EACH; i++) {
              UUID device = device(jdbc);
              UUID request = request(jdbc, device);
              viaOutbox.put(request, device);
              outbox.append(Topics.SC_CONFIG_REQUESTS, requested(request, device));
              UUID later = device(jdbc);
              duringOutage.put(request(jdbc, later), later);
            }
          });
      await().atMost(Duration.ofSeconds(60)).until(() -> completed(jdbc, viaOutbox.keySet()) > 0);

      postgres.close();
      try {
        duringOutage.forEach(
            (request, device) ->
                TestEvents.publish(Topics.SC_CONFIG_REQUESTS, requested(request, device)));
        // positive signal: the consumer meets the outage and retries
        await().atMost(Duration.ofSeconds(60)).until(() -> transientFailures.get() >= 3);
      } finally {
        postgres = PostgresServer.start(data, port);
      }

      List<UUID> all = new ArrayList<>(viaOutbox.keySet());
      all.addAll(duringOutage.keySet());
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(completed(jdbc, all))
                      .as(() -> "requests not COMPLETED: " + unfinished(jdbc, all))
                      .isEqualTo(all.size()));
      assertThat(
              jdbc.sql(
                      "select request_id, count(*) from config_version"
                          + " where request_id = any(?) group by request_id")
                  .param(all.toArray(UUID[]::new))
                  .query((rs, n) -> rs.getInt(2))
                  .list())
          .hasSize(all.size())
          .allMatch(versions -> versions == 1);
      Set<String> devices =
          all.stream()
              .map(r -> viaOutbox.getOrDefault(r, duringOutage.get(r)).toString())
              .collect(Collectors.toSet());
      var deadLetters =
          app.getBean(DeadLetters.class)
              .list(Topics.deadLetter(Topics.SC_CONFIG_REQUESTS), DeadLetters.State.ALL, 0, 500);
      assertThat(deadLetters.items()).noneMatch(d -> devices.contains(d.key()));
      assertThat(transientFailures.get()).isPositive();
    } finally {
      postgres.close();
    }
  }

  private static ConfigurableApplicationContext start(String url) {
    Map<String, String> settings = new HashMap<>(TestInfrastructure.springProperties());
    settings.put("spring.datasource.url", url);
    settings.put("server.port", "0");
    // a group of its own: the test contexts of this JVM consume the same topic with theirs
    settings.put("spring.kafka.consumer.group-id", "sc-outage-" + UUID.randomUUID());
    settings.put("spring.datasource.hikari.connection-timeout", "1000");
    return new SpringApplicationBuilder(ScApplication.class)
        .run(
            settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
  }

  private static EventEnvelope<ConfigRequested> requested(UUID request, UUID device) {
    return EventEnvelope.of(
        "/sc-service/config-requests",
        "default",
        device.toString(),
        new ConfigRequested(request, device));
  }

  private static int completed(JdbcClient jdbc, java.util.Collection<UUID> requests) {
    return jdbc.sql(
            "select count(*) from config_request where status = 'COMPLETED' and id = any(?)")
        .param(requests.toArray(UUID[]::new))
        .query(Integer.class)
        .single();
  }

  /**
   * Each request that is not COMPLETED with its status, reason and re-drives (a failure's story).
   */
  private static List<String> unfinished(JdbcClient jdbc, java.util.Collection<UUID> requests) {
    return jdbc.sql(
            "select id, status, failure_code, failure_reason, redrives, updated_at"
                + " from config_request where status <> 'COMPLETED' and id = any(?)")
        .param(requests.toArray(UUID[]::new))
        .query(
            (rs, n) ->
                rs.getString(1)
                    + " "
                    + rs.getString(2)
                    + " code="
                    + rs.getString(3)
                    + " reason="
                    + rs.getString(4)
                    + " redrives="
                    + rs.getInt(5)
                    + " updated="
                    + rs.getTimestamp(6))
        .list();
  }

  private static UUID device(JdbcClient jdbc) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into device (id, tenant_id, serial, model, name, bootstrap_token_hash,"
                + " created_at, updated_at) values (?, 'default', ?, 'm', 'n', 'h', now(), now())")
        .params(id, "SN-" + id)
        .update();
    return id;
  }

  private static UUID request(JdbcClient jdbc, UUID device) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into config_request (id, tenant_id, device_id, status, variables,"
                + " requested_by, created_at, updated_at)"
                + " values (?, 'default', ?, 'QUEUED', '{\"timezone\":\"UTC\"}'::jsonb, 'test',"
                + " now(), now())")
        .params(id, device)
        .update();
    return id;
  }
}
