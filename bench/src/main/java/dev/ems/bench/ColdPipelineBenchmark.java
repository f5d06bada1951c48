package dev.ems.bench;

import dev.ems.common.event.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The config pipeline from a cold start (bench/cold-start.sh): drives a suite that {@code ./ems up}
 * runs (the launcher, one JVM) instead of a warmed-up sc-service of its own.
 *
 * <ul>
 *   <li>{@code setup <devices-file>}: creates DEVICES devices and writes their ids.
 *   <li>{@code load <devices-file> <suite-log> <suite-pid>}: connects to Kafka as soon as the
 *       broker listens, waits for the launcher's "EMS ready" line in its log, then offers RATE
 *       config requests/s for DURATION s at once (open loop, no warm-up) and prints p50/p99 per 10
 *       s of send time from the first second, overall, and the CPU the suite's JVM (by thread
 *       group) and its PostgreSQL used per 10 s.
 * </ul>
 *
 * Environment: EMS_SC_URL, EMS_KAFKA (bootstrap servers), EMS_KEY (the admin key), RATE (200),
 * DURATION (60), DEVICES (200), TAG (request input prefix; each request renders a new version).
 */
public final class ColdPipelineBenchmark {

  private static final String REQUEST_ID = "\"requestId\":\"";

  public static void main(String[] args) throws Exception {
    String sc = env("EMS_SC_URL", "http://127.0.0.1:8081");
    String key = env("EMS_KEY", "");
    Path devicesFile = Path.of(args[1]);
    switch (args[0]) {
      case "setup" -> setup(sc, key, devicesFile, Integer.parseInt(env("DEVICES", "200")));
      case "load" -> load(sc, key, devicesFile, Path.of(args[2]), Long.parseLong(args[3]));
      default -> throw new IllegalArgumentException("setup | load");
    }
    System.exit(0);
  }

  private static void setup(String sc, String key, Path file, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> ids = ConfigPipelineBenchmark.createDevices(http, sc, key, "COLD", count);
    Files.write(file, ids);
    System.out.println("created " + ids.size() + " devices");
  }

  private static void load(String sc, String key, Path devicesFile, Path log, long pid)
      throws Exception {
    int rate = Integer.parseInt(env("RATE", "200"));
    int seconds = Integer.parseInt(env("DURATION", "60"));
    String tag = env("TAG", "c");
    List<String> devices = Files.readAllLines(devicesFile);
    URI uri = URI.create(sc);

    // the broker starts before the services: subscribe while they start, so the first
    // publication is seen
    Map<UUID, Long> arrivals = new ConcurrentHashMap<>();
    var ready = new java.util.concurrent.CountDownLatch(1);
    var running = new AtomicBoolean(true);
    Thread consumer =
        Thread.ofPlatform()
            .start(() -> consume(env("EMS_KAFKA", "127.0.0.1:19092"), arrivals, ready, running));
    while (!Files.exists(log) || !Files.readString(log).contains("\nEMS ready in ")) {
      if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        throw new IllegalStateException("the suite (pid " + pid + ") exited before it was ready");
      }
      Thread.sleep(20);
    }
    long readyAt = System.nanoTime();
    if (!ready.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the consumer of " + Topics.SC_CONFIGS + " got no partition");
    }
    System.out.printf(
        "load starts %.0f ms after 'EMS ready' (consumer assigned)%n",
        (System.nanoTime() - readyAt) / 1e6);

    LeanHttp http = new LeanHttp(uri.getHost(), uri.getPort(), "Bearer " + key, 64);
    Map<UUID, Long> sent = new ConcurrentHashMap<>();
    AtomicInteger rejected = new AtomicInteger();
    var cpu = new CpuWindows(pid);
    var sampler = Thread.ofPlatform().daemon().start(cpu::sampleEvery10s);
    long start = System.nanoTime();
    int offered = ConfigPipelineBenchmark.run(http, devices, rate, seconds, sent, rejected, tag);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && !arrivals.keySet().containsAll(sent.keySet())) {
      Thread.sleep(200);
    }
    double drained = (System.nanoTime() - start) / 1e9 - elapsed;
    sampler.interrupt();
    cpu.sample(); // the tail: drain after the last send
    running.set(false);
    consumer.join();
    http.close();

    List<Double> latencies = new ArrayList<>();
    sent.forEach(
        (id, t0) -> {
          Long arrived = arrivals.get(id);
          if (arrived != null) {
            latencies.add((arrived - t0) / 1e6);
          }
        });
    latencies.sort(Double::compare);
    System.out.printf(
        "%nconfig request -> ConfigPublished from the first second after 'EMS ready' (no warm-up),"
            + " open loop %d req/s for %d s over %d devices%n",
        rate, seconds, devices.size());
    System.out.printf(
        "offered %d in %.1f s, accepted %d, rejected %d, published %d, not yet published %d (waited %.1f s"
            + " after the last send)%n",
        offered,
        elapsed,
        sent.size(),
        rejected.get(),
        latencies.size(),
        sent.size() - latencies.size(),
        drained);
    System.out.printf(
        "overall latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
        ConfigPipelineBenchmark.pct(latencies, 50),
        ConfigPipelineBenchmark.pct(latencies, 95),
        ConfigPipelineBenchmark.pct(latencies, 99),
        latencies.isEmpty() ? Double.NaN : latencies.getLast());
    System.out.println("per 10 s of send time:");
    ConfigPipelineBenchmark.printWindows(sent, arrivals, start);
    System.out.println(
        "CPU per 10 s of wall time (suite JVM by thread group, numbers in names as N; PostgreSQL"
            + " = its server processes; 2 cores = 20 s per window):");
    cpu.print();
  }

  private static void consume(
      String bootstrap,
      Map<UUID, Long> arrivals,
      java.util.concurrent.CountDownLatch ready,
      AtomicBoolean running) {
    ConfigPipelineBenchmark.consume(bootstrap, "bench-cold-", arrivals, ready, running);
  }

  /** CPU ticks of the suite's threads (grouped by name) and of its PostgreSQL, per window. */
  private static final class CpuWindows {
    private final long pid;
    private final long hz = 100; // USER_HZ on Linux
    private final List<Map<String, Long>> samples = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    CpuWindows(long pid) {
      this.pid = pid;
      sample();
    }

    void sampleEvery10s() {
      long next = System.nanoTime();
      while (!Thread.currentThread().isInterrupted()) {
        next += TimeUnit.SECONDS.toNanos(10);
        try {
          TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
        } catch (InterruptedException e) {
          return;
        }
        sample();
      }
    }

    synchronized void sample() {
      Map<String, Long> ticks = new HashMap<>();
      try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        tasks.forEach(
            t -> {
              long[] v = stat(t.resolve("stat"));
              if (v != null) {
                ticks.merge(group(name(t.resolve("stat"))), v[0] + v[1], Long::sum);
              }
            });
      } catch (IOException e) {
        return;
      }
      ticks.put("PostgreSQL", postgres());
      samples.add(ticks);
      times.add(System.nanoTime());
    }

    /**
     * The postmaster (pg_ctl runs it detached from the JVM: found by its postmaster.pid in
     * EMS_HOME), its exited children and its live ones.
     */
    private static long postgres() {
      try {
        Path pidFile = Path.of(env("EMS_HOME", ".ems"), "postgres", "postmaster.pid");
        long postmaster = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        long[] v = stat(Path.of("/proc/" + postmaster + "/stat"));
        long sum = v == null ? 0 : v[0] + v[1] + v[2] + v[3];
        for (var backend :
            ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
          long[] b = stat(Path.of("/proc/" + backend.pid() + "/stat"));
          if (b != null) {
            sum += b[0] + b[1];
          }
        }
        return sum;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    synchronized void print() {
      for (int i = 1; i < samples.size(); i++) {
        Map<String, Long> a = samples.get(i - 1);
        Map<String, Long> b = samples.get(i);
        double secs = (times.get(i) - times.get(i - 1)) / 1e9;
        double total = 0;
        List<Map.Entry<String, Double>> used = new ArrayList<>();
        for (var e : b.entrySet()) {
          double d = (e.getValue() - a.getOrDefault(e.getKey(), 0L)) / (double) hz;
          if (d > 0) {
            used.add(Map.entry(e.getKey(), d));
            if (!e.getKey().equals("PostgreSQL")) {
              total += d;
            }
          }
        }
        used.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        StringBuilder line = new StringBuilder();
        for (var e : used.subList(0, Math.min(7, used.size()))) {
          line.append(String.format(" %s %.1f;", e.getKey(), e.getValue()));
        }
        System.out.printf(
            "  %5.1f s: JVM %.1f s CPU in %.1f s:%s%n",
            (times.get(i) - times.getFirst()) / 1e9, total, secs, line);
      }
    }

    private static long[] stat(Path file) {
      try {
        String s = Files.readString(file);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // after the name: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
        return new long[] {
          Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])
        };
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    private static String name(Path file) {
      try {
        String s = Files.readString(file);
        return s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
      } catch (IOException e) {
        return "?";
      }
    }

    private static String group(String thread) {
      return thread.replaceAll("[0-9]+", "N");
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
