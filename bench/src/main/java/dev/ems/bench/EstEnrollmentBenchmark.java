package dev.ems.bench;

import dev.ems.embedded.FreePorts;
import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import dev.ems.launcher.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18's mass-enrollment figure: DEVICES devices, each with its own P-256 key, enroll through
 * EST {@code simpleenroll} (HTTP Basic serial:token) all at once against the whole suite in this
 * JVM; then the same number of CSRs issued by pki-service alone (operator issuance, same
 * concurrency). Prints enrollments/s and latency percentiles of both. Keys and CSRs are made before
 * the clock starts; devices are provisioned (SC) before it too. Each device retries a 503, 429 or
 * unanswered request after Retry-After (or 2 s) plus jitter, as devices do, until it has a final
 * answer (RETRY=off: one attempt each).
 */
public final class EstEnrollmentBenchmark {

  private static final String ADMIN_KEY = "bench-admin-key-" + UUID.randomUUID();
  private static final JsonMapper JSON = new JsonMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  /** Calls that got no HTTP answer, by exception class, for the phase being reported. */
  private static final Map<String, Integer> FAILURES = new ConcurrentHashMap<>();

  /** A provisioned device: serial, bootstrap token and its CSR (DER, base64 on one line). */
  private record Device(String serial, String token, String csrDer) {

    /** The CSR as EST's body: base64 with line breaks. */
    String csrBase64() {
      return Base64.getMimeEncoder().encodeToString(Base64.getDecoder().decode(csrDer));
    }

    String csrPem() {
      return "-----BEGIN CERTIFICATE REQUEST-----\n"
          + csrBase64()
          + "\n-----END CERTIFICATE REQUEST-----\n";
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("client")) {
      clientMain(args);
      return;
    }
    int count = Integer.parseInt(env("DEVICES", "10000"));
    int provisioning = Integer.parseInt(env("PROVISION_CONCURRENCY", "16"));
    System.out.printf(
        "machine: %d cores, JDK %s; DEVICES=%d%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), count);
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    Path dir = Files.createTempDirectory("ems-est-bench");
    PostgresServer pg = PostgresServer.start(dir.resolve("pg"), FreePorts.next());
    KafkaBroker kafka =
        new KafkaBroker(dir.resolve("kafka"), FreePorts.next(), FreePorts.next()).start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.stop();
                  pg.close();
                }));
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spring.datasource.url", pg.jdbcUrl("ems"));
    props.put("spring.datasource.username", "postgres");
    props.put("spring.datasource.password", "");
    props.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    props.put("ems.platform.bootstrap-admin-key", ADMIN_KEY);
    String internal = "bench-internal-" + UUID.randomUUID();
    props.put("pki.internal-api-key", internal);
    props.put("device-api.pki.internal-api-key", internal);
    props.put("device-api.pki.timeout", "PT30S");
    props.put("pki.key-encryption-key", randomKey());
    props.put("sc.secrets-key", randomKey());
    Suite suite = Suite.start(props, Map.of(), 2);

    List<Device> devices = provision(suite, count, provisioning);
    awaitTokensKnown(pg.jdbcUrl("ems"), count);
    // The devices run in a client JVM of their own: 10,000 connections at once need 10,000 file
    // descriptors on each side, and one process may hold 20,000 here (the suite's own sockets,
    // files and Kafka's logs come on top): a shared process ran out ("Too many open files") and
    // took the embedded broker down with it.
    Path list = dir.resolve("devices.txt");
    List<String> lines = new ArrayList<>();
    for (Device d : devices) {
      lines.add(d.serial() + " " + d.token() + " " + d.csrDer());
    }
    Files.write(list, lines);
    System.out.printf("provisioned %d devices; enrolling all at once through EST%n", count);
    client("est", suite.port("device-api"), list, "-");

    // PKI issuance alone: the same number of CSRs for one operator end entity, same concurrency
    String entity = UUID.randomUUID().toString();
    send(
        suite,
        "POST",
        "/api/v1/end-entities",
        Map.of("name", entity, "subjectDn", "CN=bench", "certificateProfile", "device"));
    client("pki", suite.port("pki-service"), list, entity);
    suite.close();
    System.exit(0);
  }

  /** Runs one phase's devices in a client JVM of their own and waits for its report. */
  private static void client(String phase, int port, Path list, String entity) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                EstEnrollmentBenchmark.class.getName(),
                "client",
                phase,
                Integer.toString(port),
                list.toString(),
                entity,
                ADMIN_KEY)
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the " + phase + " client failed: exit " + p.exitValue());
    }
  }

  /** The client JVM: every device of the list at once against one port, then the report. */
  private static void clientMain(String[] args) throws Exception {
    String phase = args[1];
    String base = "http://127.0.0.1:" + args[2];
    String entity = args[4];
    String adminKey = args[5];
    List<Device> devices = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[3]))) {
      String[] f = line.split(" ");
      devices.add(new Device(f[0], f[1], f[2]));
    }
    List<Long> latencies = new ArrayList<>();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    double seconds;
    if (phase.equals("est")) {
      seconds =
          timed(
              devices.size(),
              i -> {
                Device d = devices.get(i);
                String basic =
                    Base64.getEncoder()
                        .encodeToString(
                            (d.serial() + ":" + d.token()).getBytes(StandardCharsets.UTF_8));
                return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/.well-known/est/simpleenroll"))
                        .timeout(Duration.ofMinutes(5))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/pkcs10")
                        .POST(HttpRequest.BodyPublishers.ofString(d.csrBase64()))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
              },
              latencies,
              statuses);
      report("EST simpleenroll, whole suite", devices.size(), seconds, latencies, statuses);
    } else {
      seconds =
          timed(
              devices.size(),
              i ->
                  HTTP.send(
                      HttpRequest.newBuilder(
                              URI.create(base + "/api/v1/end-entities/" + entity + "/certificates"))
                          .timeout(Duration.ofMinutes(5))
                          .header("Authorization", "Bearer " + adminKey)
                          .header("Content-Type", "application/json")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  JSON.writeValueAsString(Map.of("csr", devices.get(i).csrPem()))))
                          .build(),
                      HttpResponse.BodyHandlers.discarding()),
              latencies,
              statuses);
      report("pki-service issuance alone", devices.size(), seconds, latencies, statuses);
    }
  }

  private interface Call {
    HttpResponse<?> run(int i) throws Exception;
  }

  /** Devices retry as real ones do (RETRY=on, the default): on 503, 429 or no answer. */
  private static final boolean RETRY = !"off".equals(env("RETRY", "on"));

  /** How long a device keeps retrying before it gives up. */
  private static final long GIVE_UP_NANOS = Duration.ofMinutes(10).toNanos();

  /** First attempts' statuses and all attempts, for the phase being reported. */
  private static final Map<Integer, Integer> FIRST = new ConcurrentHashMap<>();

  private static final java.util.concurrent.atomic.AtomicLong ATTEMPTS =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Runs every call at once (one virtual thread each, released together), each retried as a device
   * retries until it has a final answer; wall seconds until the last one has. A latency is a
   * device's time from its first attempt to its final answer.
   */
  private static double timed(
      int count, Call call, List<Long> latencies, Map<Integer, Integer> statuses) throws Exception {
    List<Long> nanos = Collections.synchronizedList(latencies);
    CountDownLatch go = new CountDownLatch(1);
    long start;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int n = i;
        pool.submit(
            () -> {
              go.await();
              long t = System.nanoTime();
              int status;
              boolean first = true;
              while (true) {
                ATTEMPTS.incrementAndGet();
                long retryAfter = 2;
                try {
                  HttpResponse<?> response = call.run(n);
                  status = response.statusCode();
                  retryAfter =
                      response
                          .headers()
                          .firstValue("Retry-After")
                          .map(Long::parseLong)
                          .orElse(retryAfter);
                } catch (Exception e) {
                  // no HTTP answer: counted by the client's exception (connect timeout, reset, ...)
                  status = -1;
                  FAILURES.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
                if (first) {
                  FIRST.merge(status, 1, Integer::sum);
                  first = false;
                }
                boolean retryable = status == -1 || status == 503 || status == 429;
                if (!RETRY || !retryable || System.nanoTime() - t > GIVE_UP_NANOS) {
                  break;
                }
                // as a device does: wait what the server asked (or 2 s), with jitter so that
                // the refused do not all come back at once
                Thread.sleep(
                    retryAfter * 1000
                        + java.util.concurrent.ThreadLocalRandom.current().nextLong(2000));
              }
              nanos.add(System.nanoTime() - t);
              statuses.merge(status, 1, Integer::sum);
              return null;
            });
      }
      start = System.nanoTime();
      go.countDown();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void report(
      String what, int count, double seconds, List<Long> nanos, Map<Integer, Integer> statuses) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    System.out.printf(
        "%s: %d in %.1f s = %.0f/s; latency p50 %.0f ms, p99 %.0f ms, max %.0f ms; statuses %s%n",
        what,
        count,
        seconds,
        count / seconds,
        pct(sorted, 0.50),
        pct(sorted, 0.99),
        sorted.getLast() / 1e6,
        statuses);
    if (RETRY) {
      System.out.printf(
          "  devices retry on 503/429/no answer (Retry-After or 2 s, plus up to 2 s jitter):"
              + " %d attempts in all; first attempts' statuses %s%n",
          ATTEMPTS.get(), FIRST);
    }
    if (!FAILURES.isEmpty()) {
      System.out.printf(
          "  -1 = no HTTP answer, by the client's exception (all attempts): %s%n", FAILURES);
    }
    FAILURES.clear();
    FIRST.clear();
    ATTEMPTS.set(0);
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  private static List<Device> provision(Suite suite, int count, int concurrency) throws Exception {
    Device[] devices = new Device[count];
    Semaphore permits = new Semaphore(concurrency);
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int n = i;
        pool.submit(
            () -> {
              permits.acquire();
              try {
                String serial = "EST-" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
                var keys = generator.generateKeyPair();
                var csr =
                    new JcaPKCS10CertificationRequestBuilder(
                            new X500Name("CN=" + serial), keys.getPublic())
                        .build(
                            new JcaContentSignerBuilder("SHA256withECDSA")
                                .build(keys.getPrivate()));
                var created =
                    send(
                        suite,
                        "POST",
                        "/api/v1/devices",
                        Map.of("serial", serial, "model", "ow-x86", "name", "n" + n));
                String token = JSON.readTree(created.body()).get("bootstrapToken").asString();
                devices[n] =
                    new Device(serial, token, Base64.getEncoder().encodeToString(csr.getEncoded()));
              } finally {
                permits.release();
              }
              return null;
            });
      }
    }
    return List.of(devices);
  }

  /** Until device-api and pki-service both hold every device's token (from SC's events). */
  private static void awaitTokensKnown(String jdbcUrl, int count) throws Exception {
    try (var c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      for (int i = 0; i < 600; i++) {
        var rs =
            c.createStatement()
                .executeQuery(
                    "select (select count(*) from device.device where token_sha256 is not null),"
                        + " (select count(*) from pki.end_entity"
                        + " where bootstrap_token_sha256 is not null)");
        rs.next();
        if (rs.getLong(1) >= count && rs.getLong(2) >= count) {
          return;
        }
        Thread.sleep(1000);
      }
    }
    throw new IllegalStateException("device-api or pki-service never learnt every token");
  }

  private static HttpResponse<String> send(
      Suite suite, String method, String path, Map<String, Object> body) throws Exception {
    String service = path.startsWith("/api/v1/end-entities") ? "pki-service" : "sc-service";
    var r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.port(service) + path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r;
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
