package dev.ems.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.pki.ca.CaHierarchy;
import dev.ems.pki.issuance.CsrValidator;
import dev.ems.pki.issuance.IssuanceService;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Throughput benchmark, not part of the build (the name matches neither surefire nor failsafe):
 * {@code ./mvnw -B verify -pl pki-service -Dit.test=PkiBenchmark -DskipUTs -Djacoco.skip=true
 * -DargLine= -Dpki.bench.certs=10000 -Dpki.bench.threads=4} (JaCoCo's probes cost ~3x on the crypto
 * path, hence skipped). Prints figures; asserts only correctness.
 *
 * <p>Issuance: CSRs are generated before the clock starts; each timed issuance parses and verifies
 * the CSR, signs the certificate (ECDSA P-256) and commits it with its outbox event in its own
 * transaction (synchronous_commit stays on). OCSP: signed responses over HTTP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // the embedded test PostgreSQL runs with synchronous_commit=off; durability needs it on
    properties = "spring.datasource.hikari.connection-init-sql=set synchronous_commit = on")
@AutoConfigureMockMvc
class PkiBenchmark {

  @Autowired IssuanceService issuance;
  @Autowired CaHierarchy cas;
  @Autowired dev.ems.pki.backend.CertificateAuthority ca;
  @Autowired dev.ems.pki.endentity.EndEntities endEntities;
  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;

  @Test
  void benchmark() throws Exception {
    int certs = Integer.getInteger("pki.bench.certs", 20_000);
    int threads = Integer.getInteger("pki.bench.threads", 8);
    int entities = 100;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < entities; i++) {
      names.add(PkiTestSupport.newEntity(mvc));
    }
    long t0 = System.nanoTime();
    List<String> csrs = new ArrayList<>(certs);
    for (int i = 0; i < certs; i++) {
      csrs.add(TestCsrs.p256("CN=bench"));
    }
    System.out.printf("prepared %d P-256 CSRs in %.1f s (untimed)%n", certs, secs(t0));
    String syncCommit = jdbc.sql("show synchronous_commit").query(String.class).single();

    // CPU only: CSR parse + signature check + signing, nothing stored
    var entity = endEntities.require("default", names.getFirst());
    Task crypto =
        i -> {
          var csr = CsrValidator.parse(csrs.get(i % csrs.size()));
          // the serial, not toString(): printing the certificates would cost more than making them
          return ca.issue(entity, csr.request(), csr.publicKey(), java.time.Duration.ofDays(365))
              .certificate()
              .getSerialNumber()
              .toString(16);
        };
    warmUp(threads, crypto);
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cryptoCpuBefore = os.getProcessCpuTime();
    long cpuStart = System.nanoTime();
    int cpuCount = Math.min(certs, 5_000);
    run(threads, cpuCount, crypto);
    double cpuSecs = secs(cpuStart);
    double cryptoCpuSecs = (os.getProcessCpuTime() - cryptoCpuBefore) / 1e9;

    warmUp(
        threads,
        i ->
            issuance
                .issue("default", names.get(i % entities), csrs.get(i % csrs.size()))
                .record()
                .serial());

    List<String> serials = new ArrayList<>(java.util.Collections.nCopies(certs, ""));
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long jitBefore = jit.getTotalCompilationTime();
    long cpuBefore = os.getProcessCpuTime();
    long start = System.nanoTime();
    run(
        threads,
        certs,
        i -> {
          String s =
              issuance.issue("default", names.get(i % entities), csrs.get(i)).record().serial();
          serials.set(i, s);
          return s;
        });
    double issueSecs = secs(start);
    // CPU this JVM burned (service + in-process Kafka + outbox relay; PostgreSQL is separate):
    // tells what an unshared 2-core machine could do when other processes take most cores
    double issueCpuSecs = (os.getProcessCpuTime() - cpuBefore) / 1e9;
    long issueJitMs = jit.getTotalCompilationTime() - jitBefore;
    long stored =
        jdbc.sql(
                "select count(*) from certificate where serial in ("
                    + String.join(
                        ",", serials.stream().limit(1000).map(s -> "'" + s + "'").toList())
                    + ")")
            .query(Long.class)
            .single();
    assertThat(stored).isEqualTo(Math.min(1000, certs));

    var id = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    var issuer = new JcaX509CertificateHolder(cas.issuing());
    int ocspCount = Math.min(certs, 10_000);
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < ocspCount; i++) {
      requests.add(
          new OCSPReqBuilder()
              .addRequest(new CertificateID(id, issuer, new BigInteger(serials.get(i), 16)))
              .build()
              .getEncoded());
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI ocsp = URI.create("http://localhost:" + port + "/pki/v1/ocsp");
    AtomicInteger good = new AtomicInteger();
    run(threads, 1_000, i -> post(http, ocsp, requests.get(i % ocspCount), good));
    good.set(0);
    long ocspStart = System.nanoTime();
    run(threads, ocspCount, i -> post(http, ocsp, requests.get(i), good));
    double ocspSecs = secs(ocspStart);
    assertThat(good.get()).isEqualTo(ocspCount);

    System.out.printf(
        "%n=== pki-service benchmark (%d cores, %d threads, synchronous_commit=%s) ===%n",
        Runtime.getRuntime().availableProcessors(), threads, syncCommit);
    System.out.printf(
        "crypto:   %d CSR checks + P-256 signatures, not stored = %.0f /s"
            + " (JVM CPU %.2f ms per certificate)%n",
        cpuCount, cpuCount / cpuSecs, cryptoCpuSecs * 1000 / cpuCount);
    System.out.printf(
        "issuance: %d ECDSA P-256 certificates from CSRs in %.2f s = %.0f certs/s%n",
        certs, issueSecs, certs / issueSecs);
    System.out.printf("          JIT compiling during the run: %.1f s%n", issueJitMs / 1000.0);
    System.out.printf(
        "          JVM CPU %.1f s = %.2f ms CPU per certificate (%.0f certs per CPU-second)%n",
        issueCpuSecs, issueCpuSecs * 1000 / certs, certs / issueCpuSecs);
    System.out.printf(
        "ocsp:     %d signed responses over HTTP in %.2f s = %.0f responses/s%n",
        ocspCount, ocspSecs, ocspCount / ocspSecs);
    System.out.printf(
        "load average during run: %s%n",
        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
  }

  private static String post(HttpClient http, URI uri, byte[] body, AtomicInteger good)
      throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (new OCSPResp(response.body()).getStatus() == OCSPResp.SUCCESSFUL) {
      good.incrementAndGet();
    }
    return "";
  }

  interface Task {
    String run(int i) throws Exception;
  }

  private static void run(int threads, int count, Task task) throws Exception {
    AtomicInteger next = new AtomicInteger();
    try (var pool = Executors.newFixedThreadPool(threads)) {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.run(i);
                  }
                  return null;
                }));
      }
      for (var f : futures) {
        f.get();
      }
    }
  }

  /**
   * Runs rounds of the task until the JIT has little left to compile. With every core busy the
   * compiler threads fall behind (the queue still held methods from start-up after 30,000 calls),
   * so each round is followed by an idle pause in which the queue drains, as it would in a service
   * that has run for a while.
   */
  private static void warmUp(int threads, Task task) throws Exception {
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    for (int round = 1; round <= 20; round++) {
      long compiledBefore = jit.getTotalCompilationTime();
      run(threads, 1_000, task);
      long compileMs = jit.getTotalCompilationTime() - compiledBefore;
      awaitIdleJit(jit);
      if (round >= 3 && compileMs < 150) {
        System.out.printf("warm-up: %d rounds of 1,000 (untimed)%n", round);
        return;
      }
    }
    System.out.println("warm-up: 20 rounds of 1,000, the JIT was still compiling (untimed)");
  }

  private static void awaitIdleJit(java.lang.management.CompilationMXBean jit)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    long last = jit.getTotalCompilationTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      long now = jit.getTotalCompilationTime();
      if (now - last < 20) {
        return;
      }
      last = now;
    }
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
