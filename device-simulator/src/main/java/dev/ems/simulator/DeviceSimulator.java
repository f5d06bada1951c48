package dev.ems.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * CLI: provisions N devices on sc-service (with an operator API key), requests a configuration for
 * each, then runs N simulated devices that enroll (own key pair), poll their config with ETag,
 * apply it, report the result and heartbeat with tunnel states — with injected faults — and prints
 * counters every 10 s. Heartbeats name the bundle the device runs; its ems-mgmt tunnel is up only
 * while that bundle points the tunnel at {@code --mgmt-headend} ({@link ManagementTunnel}; default
 * {@code EMS_MGMT_ENDPOINT} or sc-service's default of it), and {@code --tunnel-down} adds random
 * outages on top.
 *
 * <pre>
 * java -cp device-simulator.jar dev.ems.simulator.DeviceSimulator \
 *   --sc=http://localhost:8081 --device-api=http://localhost:8080 --api-key=$KEY \
 *   --devices=100 --poll=30s --heartbeat=60s --duration=5m --fail-apply=0.02 --tunnel-down=0.05 \
 *   --mgmt-headend=ems.example.net
 * </pre>
 */
public final class DeviceSimulator {

  private static final JsonMapper JSON = new JsonMapper();

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String sc = o.getOrDefault("sc", "http://localhost:8081");
    String deviceApi = o.getOrDefault("device-api", "http://localhost:8080");
    String apiKey = o.get("api-key");
    int count = Integer.parseInt(o.getOrDefault("devices", "10"));
    Duration poll = Duration.parse("PT" + o.getOrDefault("poll", "30s").toUpperCase());
    Duration heartbeat = Duration.parse("PT" + o.getOrDefault("heartbeat", "60s").toUpperCase());
    Duration duration = Duration.parse("PT" + o.getOrDefault("duration", "2m").toUpperCase());
    double failApply = Double.parseDouble(o.getOrDefault("fail-apply", "0"));
    double tunnelDown = Double.parseDouble(o.getOrDefault("tunnel-down", "0"));
    String header = o.getOrDefault("cert-header", "X-SSL-Client-Cert");
    String headend = o.getOrDefault("mgmt-headend", ManagementTunnel.defaultHeadend());
    if (apiKey == null) {
      System.err.println("--api-key is required (an OPERATOR key of sc-service)");
      System.exit(2);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    AtomicLong enrolled = new AtomicLong(),
        fetched = new AtomicLong(),
        notModified = new AtomicLong();
    AtomicLong applied = new AtomicLong(), beats = new AtomicLong(), errors = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        String serial = "SIM-" + UUID.randomUUID().toString().substring(0, 8) + "-" + i;
        pool.submit(
            () -> {
              try {
                String token = provision(http, sc, apiKey, serial);
                var device = new SimulatedDevice(http, deviceApi, serial, header);
                while (device.enroll(token) != 200) {
                  errors.incrementAndGet();
                  Thread.sleep(2000);
                }
                enrolled.incrementAndGet();
                long uptime = 0;
                long nextBeat = 0;
                while (System.nanoTime() < end) {
                  int status = device.fetchConfig();
                  if (status == 200) {
                    fetched.incrementAndGet();
                    boolean ok = ThreadLocalRandom.current().nextDouble() >= failApply;
                    device.apply(ok ? null : "simulated apply failure");
                    applied.incrementAndGet();
                  } else if (status == 304) {
                    notModified.incrementAndGet();
                  } else if (status != 404) {
                    errors.incrementAndGet();
                  }
                  // issue 18: renew at two thirds of the certificate's lifetime (EST reenroll)
                  if (device.renewalDue(java.time.Instant.now()) && device.renew() != 200) {
                    errors.incrementAndGet();
                  }
                  if (System.nanoTime() >= nextBeat) {
                    String state =
                        ThreadLocalRandom.current().nextDouble() < tunnelDown
                            ? ManagementTunnel.DOWN
                            : device.managementTunnel(headend);
                    if (device.heartbeat(uptime, state).statusCode() == 200) {
                      beats.incrementAndGet();
                    } else {
                      errors.incrementAndGet();
                    }
                    nextBeat = System.nanoTime() + heartbeat.toNanos();
                  }
                  Thread.sleep(poll);
                  uptime += poll.toSeconds();
                }
              } catch (Exception e) {
                errors.incrementAndGet();
                System.err.println(serial + ": " + e);
              }
              return null;
            });
      }
      Thread.ofVirtual()
          .start(
              () -> {
                while (System.nanoTime() < end) {
                  try {
                    Thread.sleep(10_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                  System.out.printf(
                      "enrolled %d  config 200 %d  304 %d  reported %d  heartbeats %d  errors %d%n",
                      enrolled.get(),
                      fetched.get(),
                      notModified.get(),
                      applied.get(),
                      beats.get(),
                      errors.get());
                }
              });
    }
    System.out.printf(
        "done: enrolled %d  config 200 %d  304 %d  reported %d  heartbeats %d  errors %d%n",
        enrolled.get(), fetched.get(), notModified.get(), applied.get(), beats.get(), errors.get());
  }

  /** Creates the device on SC, requests a config, returns the one-time bootstrap token. */
  static String provision(HttpClient http, String sc, String apiKey, String serial)
      throws Exception {
    String body =
        JSON.writeValueAsString(Map.of("serial", serial, "model", "ow-x86", "name", serial));
    var created =
        http.send(
            operator(sc + "/api/v1/devices", apiKey, body), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "creating " + serial + ": " + created.statusCode() + " " + created.body());
    }
    var device = JSON.readTree(created.body());
    http.send(
        operator(
            sc + "/api/v1/devices/" + device.get("id").asString() + "/config-requests",
            apiKey,
            "{\"variables\":{}}"),
        HttpResponse.BodyHandlers.ofString());
    return device.get("bootstrapToken").asString();
  }

  /** An operator API call: POST of a JSON body with the API key (also used by the benchmarks). */
  public static HttpRequest operator(String url, String apiKey, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    List<String> bad = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        bad.add(arg);
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("options are --name=value: " + bad);
    }
    return options;
  }
}
