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
 * the clock starts; devices are provisioned (SC) before it too.
 */
public final class EstEnrollmentBenchmark {

  private static final String ADMIN_KEY = "bench-admin-key-" + UUID.randomUUID();
  private static final JsonMapper JSON = new JsonMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  /** Calls that got no HTTP answer, by exception class, for the phase being reported. */
  private static final Map<String, Integer> FAILURES = new ConcurrentHashMap<>();

  private record Device(String serial, String token, String csrBase64, String csrPem) {}

  public static void main(String[] args) throws Exception {
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
    System.out.printf("provisioned %d devices; enrolling all at once through EST%n", count);
    List<Long> est = new ArrayList<>();
    Map<Integer, Integer> estStatuses = new ConcurrentHashMap<>();
    double estSeconds =
        timed(
            count,
            i -> {
              Device d = devices.get(i);
              String basic =
                  Base64.getEncoder()
                      .encodeToString(
                          (d.serial() + ":" + d.token()).getBytes(StandardCharsets.UTF_8));
              return HTTP.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + suite.port("device-api")
                                      + "/.well-known/est/simpleenroll"))
                          .timeout(Duration.ofMinutes(5))
                          .header("Authorization", "Basic " + basic)
                          .header("Content-Type", "application/pkcs10")
                          .POST(HttpRequest.BodyPublishers.ofString(d.csrBase64()))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
            },
            est,
            estStatuses);
    report("EST simpleenroll, whole suite", count, estSeconds, est, estStatuses);

    // PKI issuance alone: the same number of CSRs for one operator end entity, same concurrency
    String entity = UUID.randomUUID().toString();
    send(
        suite,
        "POST",
        "/api/v1/end-entities",
        Map.of("name", entity, "subjectDn", "CN=bench", "certificateProfile", "device"));
    List<Long> pki = new ArrayList<>();
    Map<Integer, Integer> pkiStatuses = new ConcurrentHashMap<>();
    double pkiSeconds =
        timed(
            count,
            i ->
                send(
                        suite,
                        "POST",
                        "/api/v1/end-entities/" + entity + "/certificates",
                        Map.of("csr", devices.get(i).csrPem()))
                    .statusCode(),
            pki,
            pkiStatuses);
    report("pki-service issuance alone", count, pkiSeconds, pki, pkiStatuses);
    suite.close();
    System.exit(0);
  }

  private interface Call {
    int run(int i) throws Exception;
  }

  /** Runs every call at once (one virtual thread each, released together); wall seconds. */
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
              try {
                status = call.run(n);
              } catch (Exception e) {
                // no HTTP answer: counted by the client's exception (connect timeout, reset, ...)
                status = -1;
                FAILURES.merge(e.getClass().getSimpleName(), 1, Integer::sum);
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
    if (!FAILURES.isEmpty()) {
      System.out.printf("  -1 = no HTTP answer, by the client's exception: %s%n", FAILURES);
      FAILURES.clear();
    }
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
                String b64 = Base64.getMimeEncoder().encodeToString(csr.getEncoded());
                String pem =
                    "-----BEGIN CERTIFICATE REQUEST-----\n"
                        + b64
                        + "\n-----END CERTIFICATE REQUEST-----\n";
                var created =
                    send(
                        suite,
                        "POST",
                        "/api/v1/devices",
                        Map.of("serial", serial, "model", "ow-x86", "name", "n" + n));
                String token = JSON.readTree(created.body()).get("bootstrapToken").asString();
                devices[n] = new Device(serial, token, b64, pem);
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
    if (r.statusCode() >= 300 && !path.endsWith("/certificates")) {
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
