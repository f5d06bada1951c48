package dev.ems.launcher;

import dev.ems.device.DeviceApiApplication;
import dev.ems.diagnostic.DiagnosticApplication;
import dev.ems.pki.PkiApplication;
import dev.ems.sc.ScApplication;
import dev.ems.tw.TwApplication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The five EMS services, each a Spring application of its own (own port, schema, consumer group,
 * configuration) sharing this JVM. Used by the launcher and by the system tests.
 */
public final class Suite implements AutoCloseable {

  /** A service of the suite and its default port. */
  public record Service(String name, Class<?> application, int defaultPort) {}

  public static final List<Service> SERVICES =
      List.of(
          new Service("sc-service", ScApplication.class, 8081),
          new Service("tw-service", TwApplication.class, 8082),
          new Service("diagnostic-service", DiagnosticApplication.class, 8083),
          new Service("pki-service", PkiApplication.class, 8084),
          new Service("device-api", DeviceApiApplication.class, 8080));

  private final Map<String, ConfigurableApplicationContext> contexts;

  private Suite(Map<String, ConfigurableApplicationContext> contexts) {
    this.contexts = contexts;
  }

  /**
   * Starts every service with the given settings (as command-line arguments, so they win over
   * configuration files); {@code ports} maps a service to its port, 0 for a free one.
   */
  public static Suite start(Map<String, String> settings, Map<String, Integer> ports, int threads)
      throws InterruptedException {
    Map<String, ConfigurableApplicationContext> started =
        Collections.synchronizedMap(new LinkedHashMap<>());
    Suite suite = new Suite(started);
    try (var pool = Executors.newFixedThreadPool(threads)) {
      int pkiPort = ports.getOrDefault("pki-service", 0);
      if (pkiPort > 0 || settings.containsKey("device-api.pki.url")) {
        // pki-service's address is known before it listens: device-api starts in the same wave
        // (./ems up; a wave of its own cost the launcher ~3.5 s of its ready time)
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putIfAbsent("device-api.pki.url", "http://127.0.0.1:" + pkiPort);
        start(pool, SERVICES, all, ports, started);
      } else {
        // device-api needs pki-service's address for enrollment, so it starts last
        start(pool, SERVICES.subList(0, SERVICES.size() - 1), settings, ports, started);
        Map<String, String> deviceApi = new LinkedHashMap<>(settings);
        deviceApi.putIfAbsent(
            "device-api.pki.url", "http://127.0.0.1:" + suite.port("pki-service"));
        start(pool, List.of(SERVICES.getLast()), deviceApi, ports, started);
      }
    } catch (ExecutionException e) {
      suite.close();
      throw new IllegalStateException("a service failed to start", e.getCause());
    }
    return suite;
  }

  private static void start(
      java.util.concurrent.ExecutorService pool,
      List<Service> services,
      Map<String, String> settings,
      Map<String, Integer> ports,
      Map<String, ConfigurableApplicationContext> started)
      throws InterruptedException, ExecutionException {
    List<Future<?>> futures = new ArrayList<>();
    for (Service service : services) {
      futures.add(
          pool.submit(
              () -> {
                List<String> args = new ArrayList<>();
                settings.forEach((k, v) -> args.add("--" + k + "=" + v));
                args.add("--server.port=" + ports.getOrDefault(service.name(), 0));
                var app = new SpringApplicationBuilder(service.application());
                app.registerShutdownHook(false);
                started.put(service.name(), app.run(args.toArray(String[]::new)));
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
  }

  /** The port a service listens on. */
  public int port(String service) {
    return ((WebServerApplicationContext) contexts.get(service)).getWebServer().getPort();
  }

  public ConfigurableApplicationContext context(String service) {
    return contexts.get(service);
  }

  /** Stops the services, device-api first and sc-service last. */
  @Override
  public void close() {
    List<ConfigurableApplicationContext> running = new ArrayList<>(contexts.values());
    Collections.reverse(running);
    for (ConfigurableApplicationContext context : running) {
      try {
        context.close();
      } catch (RuntimeException e) {
        System.err.println("error while stopping a service: " + e);
      }
    }
    contexts.clear();
  }
}
