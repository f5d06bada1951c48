package dev.ems.bench.diagnostics;

import dev.ems.diagnostic.DiagnosticApplication;
import dev.ems.embedded.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs diagnostic-service on embedded PostgreSQL and Kafka, drives it with {@link
 * TelemetryGenerator} and prints the figures of issue 6. Options: --devices, --interval,
 * --duration, --silent, and any --diag.* setting of the service.
 */
public final class DiagnosticsBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int devices = Integer.parseInt(opts.getOrDefault("devices", "100000"));
    Duration interval = Duration.ofSeconds(seconds(opts.getOrDefault("interval", "60s")));
    Duration duration = Duration.ofSeconds(seconds(opts.getOrDefault("duration", "240s")));
    int silent = Integer.parseInt(opts.getOrDefault("silent", "200"));

    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    List<String> appArgs =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spring.datasource.url=" + TestInfrastructure.jdbcUrl(),
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--ems.platform.bootstrap-admin-key=" + TestInfrastructure.ADMIN_KEY,
                "--ems.platform.bootstrap-tenant=" + TestInfrastructure.BOOTSTRAP_TENANT,
                "--diag.heartbeat-interval=" + interval.toSeconds() + "s",
                "--diag.offline-grace=" + interval.toSeconds() / 2 + "s",
                // 5 s in production; shorter when time is compressed
                "--diag.sweep-interval=" + Math.min(5000, interval.toMillis() / 12) + "ms",
                "--logging.level.root=WARN"));
    // service settings to try, e.g. --diag.telemetry-concurrency=1
    Arrays.stream(args).filter(a -> a.startsWith("--diag.")).forEach(appArgs::add);
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(DiagnosticApplication.class)
            .run(appArgs.toArray(String[]::new));
    JdbcClient jdbc = app.getBean(JdbcClient.class);
    MeterRegistry meters = app.getBean(MeterRegistry.class);
    jdbc.sql(
            "insert into device_health (device_id, tenant_id, serial, health, reasons, changed_at)"
                + " select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,"
                + " 'default', 'BENCH-' || i, 'UNKNOWN', array['no heartbeat received yet'], now()"
                + " from generate_series(0, ? - 1) i on conflict do nothing")
        .param(devices)
        .update();
    System.out.printf(
        "registered %,d devices; heartbeat every %ds for %ds (%.0f events/s), %d fall silent%n",
        devices,
        interval.toSeconds(),
        duration.toSeconds(),
        devices / (double) interval.toSeconds(),
        silent);

    var lag = new LagMonitor(bootstrap);
    var generator = new TelemetryGenerator(bootstrap, devices, interval, silent);
    Thread monitor = Thread.ofPlatform().daemon().start(lag);
    long steadyFrom = System.nanoTime() + interval.toNanos();
    AtomicLong steadyEvents = new AtomicLong(-1);
    double[] steadyTime = {0};
    Thread snap =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  sleepUntil(steadyFrom);
                  lag.steady();
                  steadyEvents.set((long) counter(meters, "diag.heartbeats.received"));
                  steadyTime[0] = timer(meters).totalTime(TimeUnit.MILLISECONDS);
                });
    generator.run(duration);

    // drain: everything produced must be consumed
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (counter(meters, "diag.heartbeats.received") < generator.produced()
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    // wait for the silent devices (they may still be inside their 90 s)
    var offline = new OfflineProbe(jdbc, generator.silenced());
    offline.await(interval.multipliedBy(3));
    lag.stop();
    String concurrency = app.getEnvironment().getProperty("diag.telemetry-concurrency");
    System.out.println("telemetry concurrency   " + concurrency);
    snap.join(1000);

    long consumed = (long) counter(meters, "diag.heartbeats.received");
    double totalMs = timer(meters).totalTime(TimeUnit.MILLISECONDS);
    System.out.println("---- diagnostics benchmark ----");
    System.out.printf("events produced         %,d%n", generator.produced());
    System.out.printf("events consumed         %,d%n", consumed);
    System.out.printf(
        "lost                    %,d%n", Math.max(0, generator.produced() - consumed));
    System.out.printf(
        "accepted (stored)       %,d, of which fast path %,d%n",
        (long) counter(meters, "diag.heartbeats.accepted"),
        (long) counter(meters, "diag.heartbeats.steady"));
    System.out.printf(
        "achieved produce rate   %.0f events/s%n",
        generator.produced() / (double) duration.toSeconds());
    System.out.printf("max consumer lag        %,d records%n", lag.max());
    System.out.printf(
        "max consumer lag        %,d records (steady state, after first interval)%n",
        lag.steadyMax());
    System.out.printf(
        "ingest DB time / event  %.3f ms (whole run, %d batches)%n",
        totalMs / Math.max(1, consumed), timer(meters).count());
    if (steadyEvents.get() >= 0 && consumed > steadyEvents.get()) {
      System.out.printf(
          "ingest DB time / event  %.3f ms (steady state, after first interval)%n",
          (totalMs - steadyTime[0]) / (consumed - steadyEvents.get()));
    }
    offline.print(interval);
    Timer sweep = meters.get("diag.offline-sweep.time").timer();
    System.out.printf(
        "offline sweep           avg %.1f ms, max %.1f ms (%d sweeps)%n",
        sweep.mean(TimeUnit.MILLISECONDS), sweep.max(TimeUnit.MILLISECONDS), sweep.count());
    jdbc.sql(
            "select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables"
                + " where relname = 'device_health'")
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs ->
                    System.out.printf(
                        "device_health updates   %,d, HOT %,d (%.0f%%)%n",
                        rs.getLong(1),
                        rs.getLong(2),
                        100.0 * rs.getLong(2) / Math.max(1, rs.getLong(1))));
    System.out.println("machine load            " + lag.load());
    app.close();
    System.exit(0);
  }

  static double counter(MeterRegistry meters, String name) {
    var c = meters.find(name).counter();
    return c == null ? 0 : c.count();
  }

  static Timer timer(MeterRegistry meters) {
    return meters.get("diag.ingest.time").timer();
  }

  static long seconds(String s) {
    return Long.parseLong(s.replaceAll("s$", ""));
  }

  static void sleepUntil(long nanos) {
    long wait;
    while ((wait = nanos - System.nanoTime()) > 0) {
      try {
        Thread.sleep(Math.min(1000, wait / 1_000_000 + 1));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private DiagnosticsBenchmark() {}
}
