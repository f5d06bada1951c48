package dev.ems.bench;

import dev.ems.common.event.Topics;
import dev.ems.embedded.FreePorts;
import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import dev.ems.sc.ScApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Config request → ConfigPublished latency under a fixed offered load (open loop): sc-service on an
 * embedded PostgreSQL (fsync on) and an in-process Kafka broker; RATE requests/s for SECONDS
 * seconds spread over DEVICES devices, each request with new input so each makes a new version.
 * Latency = from the request's scheduled send time to the ConfigPublished record's arrival at a
 * consumer. WARMUP seconds (default 15) at the same rate come first and are not measured.
 */
public final class ConfigPipelineBenchmark {

  private static final String KEY = "bench-admin-key-0123456789";
  private static final String REQUEST_ID = "\"requestId\":\"";
  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(env("RATE", "200"));
    int seconds = Integer.parseInt(env("SECONDS", "60"));
    int deviceCount = Integer.parseInt(env("DEVICES", "200"));
    int warmup = Integer.parseInt(env("WARMUP", "15"));
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");

    Path dir = Files.createTempDirectory("ems-bench");
    PostgresServer pg = PostgresServer.start(dir.resolve("pg"), FreePorts.next());
    KafkaBroker kafka =
        new KafkaBroker(dir.resolve("kafka"), FreePorts.next(), FreePorts.next()).start();
    var sc =
        new SpringApplicationBuilder(ScApplication.class)
            .run(
                "--spring.datasource.url=" + pg.jdbcUrl("ems"),
                "--spring.datasource.username=postgres",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--ems.platform.bootstrap-admin-key=" + KEY,
                "--sc.secrets-key=" + randomKey(),
                "--server.port=0");
    int port = ((WebServerApplicationContext) sc).getWebServer().getPort();
    HttpClient setup =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    String base = "http://127.0.0.1:" + port;
    LeanHttp http = new LeanHttp("127.0.0.1", port, "Bearer " + KEY, 64);

    List<String> devices = createDevices(setup, base, KEY, "BENCH", deviceCount);

    Map<UUID, Long> arrivals = new ConcurrentHashMap<>();
    var consumerReady = new java.util.concurrent.CountDownLatch(1);
    var running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread consumer =
        Thread.ofPlatform().start(() -> consume(kafka, arrivals, consumerReady, running));
    consumerReady.await(30, TimeUnit.SECONDS);

    // warm-up at the target rate, not measured (the JIT compiles the hot paths meanwhile)
    run(http, devices, rate, warmup, new ConcurrentHashMap<>(), new AtomicInteger(), "w");
    Thread.sleep(5000);
    Map<UUID, Long> sent = new ConcurrentHashMap<>();
    AtomicInteger rejected = new AtomicInteger();
    long start = System.nanoTime();
    int offered = run(http, devices, rate, seconds, sent, rejected, "m");
    double elapsed = (System.nanoTime() - start) / 1e9;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline && !arrivals.keySet().containsAll(sent.keySet())) {
      Thread.sleep(200);
    }
    running.set(false);
    consumer.join();

    List<Double> latencies = new ArrayList<>();
    int lost = 0;
    for (var e : sent.entrySet()) {
      Long arrived = arrivals.get(e.getKey());
      if (arrived == null) {
        lost++;
      } else {
        latencies.add((arrived - e.getValue()) / 1e6);
      }
    }
    latencies.sort(Double::compare);
    System.out.printf(
        "%nconfig request -> ConfigPublished, open loop %d req/s for %d s over %d devices%n",
        rate, seconds, deviceCount);
    System.out.printf(
        "offered %d in %.1f s (%.0f req/s), accepted %d, rejected %d, published %d, not yet published %d%n",
        offered, elapsed, offered / elapsed, sent.size(), rejected.get(), latencies.size(), lost);
    System.out.printf(
        "latency ms: p50 %.1f  p95 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
        pct(latencies, 50),
        pct(latencies, 95),
        pct(latencies, 99),
        pct(latencies, 99.9),
        latencies.isEmpty() ? Double.NaN : latencies.getLast());
    http.close();
    printWindows(sent, arrivals, start);
    sc.close();
    kafka.stop();
    pg.close();
    System.exit(0);
  }

  /**
   * Sends at a fixed rate regardless of responses (open loop); returns the number offered. A
   * request's latency starts at its scheduled send time, so a slow client is not hidden.
   */
  static int run(
      LeanHttp http,
      List<String> devices,
      int rate,
      int seconds,
      Map<UUID, Long> sent,
      AtomicInteger rejected,
      String tag)
      throws InterruptedException {
    int total = rate * seconds;
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long begin = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = begin + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String device = devices.get(i % devices.size());
      // new input each time (the domain renders into dhcp), so each request makes a new version;
      // the time zone must be a real IANA zone since issue 14
      String body =
          "{\"variables\":{\"timezone\":\"Europe/Berlin\",\"domain\":\"" + tag + i + ".bench\"}}";
      http.submit(
          new LeanHttp.Call(
              "POST",
              "/api/v1/devices/" + device + "/config-requests",
              body,
              (status, response, failure) -> {
                if (failure == null && status == 202) {
                  sent.put(UUID.fromString(id(response)), due);
                } else {
                  rejected.incrementAndGet();
                }
              }));
    }
    http.drain();
    return total;
  }

  private static void consume(
      KafkaBroker kafka,
      Map<UUID, Long> arrivals,
      java.util.concurrent.CountDownLatch ready,
      java.util.concurrent.atomic.AtomicBoolean running) {
    consume(kafka.bootstrapServers(), "bench-", arrivals, ready, running);
  }

  /**
   * Records when each config request's publication arrives on {@link Topics#SC_CONFIGS} (also used
   * by {@link ColdPipelineBenchmark}).
   */
  static void consume(
      String bootstrap,
      String groupPrefix,
      Map<UUID, Long> arrivals,
      java.util.concurrent.CountDownLatch ready,
      java.util.concurrent.atomic.AtomicBoolean running) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            groupPrefix + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    try (var c = new KafkaConsumer<String, byte[]>(props)) {
      c.subscribe(List.of(Topics.SC_CONFIGS));
      while (c.assignment().isEmpty()) {
        c.poll(Duration.ofMillis(100));
      }
      ready.countDown();
      while (running.get()) {
        for (var record : c.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          // only the request id is needed: finding it in the text costs far less than decoding
          // the bundle, and the benchmark's own CPU use competes with the service's
          String json = new String(record.value(), StandardCharsets.UTF_8);
          int at = json.indexOf(REQUEST_ID);
          if (at >= 0) {
            int from = at + REQUEST_ID.length();
            arrivals.putIfAbsent(UUID.fromString(json.substring(from, from + 36)), now);
          }
        }
      }
    }
  }

  /** Creates {@code count} devices on SC ({@code base}), serials {@code <prefix>-<i>-<uuid>}. */
  static List<String> createDevices(
      HttpClient http, String base, String key, String prefix, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body =
          "{\"serial\":\""
              + prefix
              + "-"
              + i
              + "-"
              + UUID.randomUUID()
              + "\",\"model\":\"ow-x86\",\"name\":\"cpe-"
              + i
              + "\"}";
      var r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/devices"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      ids.add(id(r.body()));
    }
    return ids;
  }

  static String id(String body) {
    Matcher m = ID.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no id in " + body);
    }
    return m.group(1);
  }

  /** p50/p99 per 10 s of send time: shows whether latency drifts, spikes or stays flat. */
  static void printWindows(Map<UUID, Long> sent, Map<UUID, Long> arrivals, long start) {
    Map<Long, List<Double>> windows = new java.util.TreeMap<>();
    sent.forEach(
        (id, t0) -> {
          Long arrived = arrivals.get(id);
          if (arrived != null) {
            long window = Math.max(0, (t0 - start) / TimeUnit.SECONDS.toNanos(10));
            windows.computeIfAbsent(window, w -> new ArrayList<>()).add((arrived - t0) / 1e6);
          }
        });
    windows.forEach(
        (w, list) -> {
          list.sort(Double::compare);
          System.out.printf(
              "  %3d-%3d s: n %5d  p50 %7.1f  p99 %7.1f  max %7.1f ms%n",
              w * 10, w * 10 + 10, list.size(), pct(list, 50), pct(list, 99), list.getLast());
        });
  }

  static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A random AES-256 key (base64) for this run's sealed secret variables. */
  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }
}
