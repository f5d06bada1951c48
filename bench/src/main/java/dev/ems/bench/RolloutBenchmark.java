package dev.ems.bench;

import dev.ems.bench.SimulatedFleet.Applied;
import dev.ems.bench.SimulatedFleet.Member;
import dev.ems.embedded.FreePorts;
import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import dev.ems.launcher.Suite;
import dev.ems.simulator.ManagementTunnel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14's figures on the whole suite in this JVM (the five services as {@code ./ems up} starts
 * them, on an embedded PostgreSQL and Kafka broker) with DEVICES simulated devices on virtual
 * threads (enroll, poll with ETag, verify and apply, heartbeat with the ems-mgmt tunnel state their
 * bundle gives):
 *
 * <ul>
 *   <li>A: a {@code qos} rollout over a tag, from its creation to COMPLETED and to the last
 *       device's APPLIED, per wave, and whether every device runs the SQM config it carries;
 *   <li>B (when sc-service has change sets): the same kind of change as an approved change set,
 *       from the approve call to the last device running it;
 *   <li>C: rollback latency: a {@code mgmt-ipsec} rollout that points the tunnel at an unreachable
 *       headend, from the health drop to ROLLED_BACK (tw-service's view) and from applying the bad
 *       version to running the previous bundle again (at the device).
 * </ul>
 *
 * Settings (environment): DEVICES (1000), POLL (2 s), HEARTBEAT (5 s), WAVE_SIZE (250), WATCH (0),
 * ROLLBACK_DEVICES (20), PROVISION_CONCURRENCY (8), CONTENT_CHECK (auto|on|off). Exits 1 when a
 * check fails. Not a test: run it with {@code bench/rollout.sh}.
 */
public final class RolloutBenchmark {

  private static final String ADMIN_KEY = "bench-admin-key-" + UUID.randomUUID();
  private static final JsonMapper JSON = new JsonMapper();
  private static final String SQM = "/etc/config/sqm";

  private final HttpClient http;
  private final Suite suite;
  private final List<String> failures = new ArrayList<>();
  private final List<String> figures = new ArrayList<>();

  private RolloutBenchmark(HttpClient http, Suite suite) {
    this.http = http;
    this.suite = suite;
  }

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(env("DEVICES", "1000"));
    Duration poll = Duration.ofMillis((long) (Double.parseDouble(env("POLL", "2")) * 1000));
    Duration heartbeat =
        Duration.ofMillis((long) (Double.parseDouble(env("HEARTBEAT", "5")) * 1000));
    int waveSize = Integer.parseInt(env("WAVE_SIZE", "250"));
    int watch = Integer.parseInt(env("WATCH", "0"));
    int rollbackDevices = Math.min(devices, Integer.parseInt(env("ROLLBACK_DEVICES", "20")));
    int concurrency = Integer.parseInt(env("PROVISION_CONCURRENCY", "8"));
    String contentCheck = env("CONTENT_CHECK", "auto");
    String headend = ManagementTunnel.defaultHeadend();
    String settings =
        String.format(
            "DEVICES=%d POLL=%ss HEARTBEAT=%ss WAVE_SIZE=%d WATCH=%d ROLLBACK_DEVICES=%d"
                + " PROVISION_CONCURRENCY=%d CONTENT_CHECK=%s headend=%s",
            devices,
            poll.toMillis() / 1000.0,
            heartbeat.toMillis() / 1000.0,
            waveSize,
            watch,
            rollbackDevices,
            concurrency,
            contentCheck,
            headend);
    String machine =
        String.format(
            "machine: %d cores, %d MiB max heap, JDK %s (%s), %s %s",
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20,
            System.getProperty("java.runtime.version"),
            System.getProperty("java.vm.name"),
            System.getProperty("os.name"),
            System.getProperty("os.arch"));
    System.out.println(machine);
    System.out.println("settings: " + settings);
    System.out.println("load average at the start (1/5/15 min): " + loadAverage());
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");

    long started = System.nanoTime();
    Path dir = Files.createTempDirectory("ems-rollout-bench");
    PostgresServer pg = PostgresServer.start(dir.resolve("pg"), FreePorts.next());
    KafkaBroker kafka =
        new KafkaBroker(dir.resolve("kafka"), FreePorts.next(), FreePorts.next()).start();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spring.datasource.url", pg.jdbcUrl("ems"));
    props.put("spring.datasource.username", "postgres");
    props.put("spring.datasource.password", "");
    props.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    props.put("ems.platform.bootstrap-admin-key", ADMIN_KEY);
    String internal = "bench-internal-" + UUID.randomUUID();
    props.put("pki.internal-api-key", internal);
    props.put("device-api.pki.internal-api-key", internal);
    props.put("pki.key-encryption-key", randomKey());
    props.put("sc.secrets-key", randomKey());
    props.put("logging.include-application-name", "false");
    // a benchmark stopped by a signal still stops the database server it started (a process of
    // its own, which would outlive this JVM)
    var stopped = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable stopInfrastructure =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            kafka.stop();
            pg.close();
            deleteQuietly(dir);
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stopInfrastructure));
    Suite suite = Suite.start(props, Map.of(), 2);
    System.out.printf(
        "suite up in %.1f s (%s)%n", (System.nanoTime() - started) / 1e9, dir.toAbsolutePath());

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    var bench = new RolloutBenchmark(http, suite);
    var fleet =
        new SimulatedFleet(
            http,
            "http://127.0.0.1:" + suite.port("device-api"),
            poll,
            heartbeat,
            headend,
            concurrency);
    int status = 1;
    try {
      bench.run(fleet, devices, waveSize, watch, rollbackDevices, concurrency, contentCheck);
      System.out.println();
      System.out.println("== figures (" + settings + ")");
      System.out.println(machine);
      bench.figures.forEach(System.out::println);
      System.out.printf(
          "device traffic: config 200 %d, 304 %d, refused %d, heartbeats %d, errors %d%s%n",
          fleet.configOk.get(),
          fleet.notModified.get(),
          fleet.refused.get(),
          fleet.heartbeats.get(),
          fleet.errors.get(),
          fleet.lastError() == null ? "" : " (last: " + fleet.lastError() + ")");
      System.out.printf(
          "total run time %.0f s; load average at the end (1/5/15 min): %s%n",
          (System.nanoTime() - started) / 1e9, loadAverage());
      if (bench.failures.isEmpty()) {
        System.out.println("all checks passed");
        status = 0;
      } else {
        System.out.println("FAILED checks:");
        bench.failures.forEach(f -> System.out.println("  - " + f));
      }
    } catch (Exception e) {
      System.out.printf(
          "device traffic: config 200 %d, 304 %d, refused %d, heartbeats %d, errors %d%s%n",
          fleet.configOk.get(),
          fleet.notModified.get(),
          fleet.refused.get(),
          fleet.heartbeats.get(),
          fleet.errors.get(),
          fleet.lastError() == null ? "" : " (last: " + fleet.lastError() + ")");
      System.out.println("benchmark aborted: " + e);
      e.printStackTrace(System.out);
      bench.failures.forEach(f -> System.out.println("  - " + f));
    } finally {
      fleet.close();
      suite.close();
      stopInfrastructure.run();
    }
    System.exit(status);
  }

  private void run(
      SimulatedFleet fleet,
      int count,
      int waveSize,
      int watch,
      int rollbackCount,
      int concurrency,
      String contentCheck)
      throws Exception {
    String tag = "bench-" + UUID.randomUUID().toString().substring(0, 8);

    // 1. provision, enroll, run version 1
    long t = System.nanoTime();
    List<Member> members = provision(count, tag, concurrency);
    System.out.printf("created %d devices with a version 1 request in %.1f s%n", count, secs(t));
    long enrolling = System.nanoTime();
    members.forEach(fleet::start);
    if (!awaitQuietly(
        Duration.ofSeconds(120 + count / 2),
        () -> members.stream().allMatch(m -> m.running != null),
        () -> members.stream().filter(m -> m.running != null).count() + "/" + count + " running")) {
      members.stream()
          .filter(m -> m.running == null)
          .limit(20)
          .forEach(m -> System.out.println("  stuck: " + m.state()));
      throw new IllegalStateException("not every device runs version 1");
    }
    System.out.printf(
        "all %d devices enrolled and run version 1 %.1f s after they started (%.1f s in all)%n",
        count, secs(enrolling), secs(t));
    awaitUntil(
        "tw-service knows every device",
        Duration.ofSeconds(120),
        () -> twKnowsAll(members),
        () -> "");

    // 2. setup: wan on every device (not measured)
    t = System.nanoTime();
    var wan =
        rollout(
            "wan",
            Map.of("wan_proto", "dhcp"),
            Map.of("tags", List.of(tag)),
            Math.min(count, 10_000),
            0);
    JsonNode wanDone = awaitRollout(wan.url, Duration.ofSeconds(120 + count / 4), count);
    System.out.printf(
        "setup: wan enabled on %d devices, rollout %s in %.1f s%n",
        count, wanDone.get("status").asString(), secs(t));
    if (!"COMPLETED".equals(wanDone.get("status").asString())) {
      throw new IllegalStateException("the wan rollout did not complete: " + summary(wanDone));
    }

    // A. qos over the tag
    measureRollout(members, tag, waveSize, watch, contentCheck);

    // B. the same kind of change through an approved change set (once sc-service has them)
    measureChangeSet(members, tag, contentCheck);

    // C. rollback latency
    measureRollback(members.subList(0, rollbackCount));
  }

  // -- A --------------------------------------------------------------------------------------

  private void measureRollout(
      List<Member> members, String tag, int waveSize, int watch, String contentCheck)
      throws Exception {
    int count = members.size();
    System.out.printf(
        "%nA: qos ENABLE over tag %s, waveSize %d, watchWindowSeconds %d%n", tag, waveSize, watch);
    Instant before = Instant.now();
    var qos =
        rollout(
            "qos",
            Map.of("qos_download_kbps", 48123, "qos_upload_kbps", 9000),
            Map.of("tags", List.of(tag)),
            waveSize,
            watch);
    JsonNode done = awaitRollout(qos.url, Duration.ofSeconds(300 + watch), count);
    Instant completedSeen = Instant.now();
    Instant created = Instant.parse(done.get("createdAt").asString());
    String status = done.get("status").asString();
    if (!"COMPLETED".equals(status)) {
      failures.add("A: the qos rollout ended " + summary(done));
      return;
    }
    Instant lastApplied = null;
    Map<Integer, List<JsonNode>> waves = new TreeMap<>();
    for (JsonNode d : done.get("devices")) {
      waves.computeIfAbsent(d.get("wave").asInt(), w -> new ArrayList<>()).add(d);
      Instant applied = instant(d, "appliedAt");
      if (applied != null && (lastApplied == null || applied.isAfter(lastApplied))) {
        lastApplied = applied;
      }
    }
    double toLast = seconds(created, lastApplied);
    figures.add(
        String.format(
            "A  qos rollout, %d devices in %d waves of %d (watch %d s): creation -> last device"
                + " APPLIED %.1f s (%.0f devices/s); creation -> COMPLETED seen %.1f s"
                + " (POST sent %.0f ms before createdAt)",
            count,
            done.get("waveCount").asInt(),
            waveSize,
            watch,
            toLast,
            count / toLast,
            seconds(created, completedSeen),
            Duration.between(before, created).toNanos() / 1e6));
    for (var e : waves.entrySet()) {
      Instant first = null;
      Instant last = null;
      for (JsonNode d : e.getValue()) {
        Instant changed = instant(d, "changedAt");
        Instant applied = instant(d, "appliedAt");
        if (changed != null && (first == null || changed.isBefore(first))) {
          first = changed;
        }
        if (applied != null && (last == null || applied.isAfter(last))) {
          last = applied;
        }
      }
      figures.add(
          String.format(
              "     wave %d: %d devices, changed from +%.1f s, last APPLIED +%.1f s, wave took %.1f s",
              e.getKey(),
              e.getValue().size(),
              seconds(created, first),
              seconds(created, last),
              seconds(first, last)));
    }
    checkContent("A", members, "48123", contentCheck);
  }

  /**
   * Whether every device runs a bundle whose {@code /etc/config/sqm} carries the download rate.
   * {@code auto}: checked once any device's bundle has that file at all (SC renders features),
   * otherwise reported as skipped.
   */
  private boolean checkContent(String step, List<Member> members, String kbps, String mode) {
    String expect = "download '" + kbps + "'";
    boolean anySqm = members.stream().anyMatch(m -> m.running.file(SQM) != null);
    if ("off".equals(mode) || ("auto".equals(mode) && !anySqm)) {
      figures.add(
          "   "
              + step
              + " content check skipped: no device's bundle has "
              + SQM
              + " (this build does not render features into the bundle)");
      return false;
    }
    long ok =
        members.stream()
            .filter(m -> m.running.file(SQM) != null && m.running.file(SQM).contains(expect))
            .count();
    figures.add(
        String.format(
            "   %s content: %d/%d devices run a bundle whose %s has %s",
            step, ok, members.size(), SQM, expect));
    if (ok != members.size()) {
      failures.add(step + ": " + (members.size() - ok) + " devices lack " + expect + " in " + SQM);
    }
    return true;
  }

  // -- B --------------------------------------------------------------------------------------

  private void measureChangeSet(List<Member> members, String tag, String contentCheck)
      throws Exception {
    var probe = send("GET", "sc-service", "/api/v1/change-sets", null, ADMIN_KEY);
    if (probe.statusCode() == 404) {
      figures.add("B  change set: skipped (sc-service has no /api/v1/change-sets in this build)");
      return;
    }
    int count = members.size();
    System.out.printf("%nB: qos ENABLE through a change set over tag %s, apply NOW%n", tag);
    var key =
        send(
            "POST",
            "sc-service",
            "/api/v1/api-keys",
            "{\"name\":\"bench-approver\",\"role\":\"OPERATOR\"}",
            ADMIN_KEY);
    expect(key, 201, "creating the approver's API key");
    String approver = JSON.readTree(key.body()).get("key").asString();
    String body =
        JSON.writeValueAsString(
            Map.of(
                "description",
                "bench: qos 48124 on " + tag,
                "apply",
                "NOW",
                "operations",
                List.of(
                    Map.of(
                        "type", "FEATURE",
                        "tag", tag,
                        "featureKey", "qos",
                        "action", "ENABLE",
                        "params", Map.of("qos_download_kbps", 48124, "qos_upload_kbps", 9000)))));
    var created = send("POST", "sc-service", "/api/v1/change-sets", body, ADMIN_KEY);
    expect(created, 201, "creating the change set");
    String id = JSON.readTree(created.body()).get("id").asString();
    Map<String, Integer> versionBefore = new HashMap<>();
    members.forEach(m -> versionBefore.put(m.deviceId, m.running.version()));
    // the approver's key reaches sc-service's key store through the key topic: retry a 401
    HttpResponse<String> approved;
    Instant approveAt;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      approveAt = Instant.now();
      approved =
          send("POST", "sc-service", "/api/v1/change-sets/" + id + "/approve", null, approver);
      if (approved.statusCode() == 401 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    } while (approved.statusCode() == 401 && System.nanoTime() < deadline);
    Instant answered = Instant.now();
    if (approved.statusCode() != 200) {
      failures.add("B: approve answered " + approved.statusCode() + " " + approved.body());
      return;
    }
    boolean content =
        !"off".equals(contentCheck) && members.stream().anyMatch(m -> m.running.file(SQM) != null);
    Instant since = approveAt;
    Predicate<Applied> carries =
        a -> content ? contains(a.file(SQM), "download '48124'") : a.version() > 0;
    Predicate<Member> done =
        m ->
            m.firstAppliedSince(
                    since, a -> a.version() > versionBefore.get(m.deviceId) && carries.test(a))
                != null;
    boolean all =
        awaitQuietly(
            Duration.ofSeconds(300),
            () -> members.stream().allMatch(done),
            () -> members.stream().filter(done).count() + "/" + count + " devices applied it");
    Instant last = null;
    int applied = 0;
    for (Member m : members) {
      Applied a =
          m.firstAppliedSince(
              since, x -> x.version() > versionBefore.get(m.deviceId) && carries.test(x));
      if (a != null) {
        applied++;
        last = last == null || a.at().isAfter(last) ? a.at() : last;
      }
    }
    if (!all) {
      failures.add("B: only " + applied + "/" + count + " devices applied the change set");
      var view = send("GET", "sc-service", "/api/v1/change-sets/" + id, null, ADMIN_KEY);
      System.out.println(
          "change set: " + view.body().substring(0, Math.min(2000, view.body().length())));
    }
    figures.add(
        String.format(
            "B  change set (qos 48124, apply NOW, approved by a second key): approve call ->"
                + " last device APPLIED (at the device) %.1f s (%.0f devices/s); the approve call"
                + " took %.1f s; %d/%d devices",
            seconds(approveAt, last),
            applied / seconds(approveAt, last),
            seconds(approveAt, answered),
            applied,
            count));
    if (content) {
      checkContent("B", members, "48124", contentCheck);
    }
  }

  // -- C --------------------------------------------------------------------------------------

  private void measureRollback(List<Member> members) throws Exception {
    int count = members.size();
    System.out.printf(
        "%nC: mgmt-ipsec ENABLE with mgmt_headend unreachable.example on %d devices, watch 300 s%n",
        count);
    Map<String, Applied> before = new HashMap<>();
    members.forEach(m -> before.put(m.deviceId, m.running));
    Instant start = Instant.now();
    var r =
        rollout(
            "mgmt-ipsec",
            Map.of("mgmt_headend", "unreachable.example"),
            Map.of("deviceIds", members.stream().map(m -> m.deviceId).toList()),
            count,
            300);
    // each device first applies the bad version (tunnel DOWN)...
    Predicate<Member> appliedBad =
        m -> m.firstAppliedSince(start, a -> ManagementTunnel.DOWN.equals(a.tunnel())) != null;
    Predicate<Member> appliedNew =
        m ->
            m.firstAppliedSince(start, a -> !a.sha256().equals(before.get(m.deviceId).sha256()))
                != null;
    awaitUntil(
        "every device of C applies the rollout's version",
        Duration.ofSeconds(120),
        () -> members.stream().allMatch(appliedNew),
        () -> members.stream().filter(appliedNew).count() + "/" + count);
    if (members.stream().noneMatch(appliedBad)) {
      figures.add(
          "C  rollback: skipped (mgmt_headend does not change the swanctl remote_addrs in this"
              + " build: the devices applied the new version and kept their tunnel)");
      send("POST", "tw-service", r.url + "/cancel", null, ADMIN_KEY);
      return;
    }
    // ... then tw-service rolls it back and the device runs the previous bundle again
    Predicate<Member> restored =
        m -> {
          Applied bad = m.firstAppliedSince(start, a -> ManagementTunnel.DOWN.equals(a.tunnel()));
          return bad != null
              && m.firstAppliedSince(bad.at(), a -> ManagementTunnel.ESTABLISHED.equals(a.tunnel()))
                  != null;
        };
    boolean allBack =
        awaitQuietly(
            Duration.ofSeconds(240),
            () -> {
              if (!members.stream().allMatch(restored)) {
                return false;
              }
              JsonNode v = view(r.url);
              for (JsonNode d : v.get("devices")) {
                if (!"ROLLED_BACK".equals(d.get("status").asString())) {
                  return false;
                }
              }
              return true;
            },
            () -> {
              try {
                return members.stream().filter(restored).count()
                    + "/"
                    + count
                    + " restored at the device; rollout "
                    + summary(view(r.url));
              } catch (Exception e) {
                return e.toString();
              }
            });
    JsonNode v = view(r.url);
    Map<String, JsonNode> states = new HashMap<>();
    v.get("devices").forEach(d -> states.put(d.get("deviceId").asString(), d));
    List<Double> serverSide = new ArrayList<>();
    List<Double> deviceSide = new ArrayList<>();
    List<Double> dropToDevice = new ArrayList<>();
    int sameSha = 0;
    System.out.println(
        "device                                status       drop->ROLLED_BACK"
            + "  bad applied->previous running  drop->previous running(device)  same sha256");
    for (Member m : members) {
      JsonNode d = states.get(m.deviceId);
      Instant dropped = d == null ? null : instant(d, "healthDroppedAt");
      Instant rolledBack = d == null ? null : instant(d, "rolledBackAt");
      Applied bad = m.firstAppliedSince(start, a -> ManagementTunnel.DOWN.equals(a.tunnel()));
      Applied back =
          bad == null
              ? null
              : m.firstAppliedSince(bad.at(), a -> ManagementTunnel.ESTABLISHED.equals(a.tunnel()));
      Double server = dropped != null && rolledBack != null ? seconds(dropped, rolledBack) : null;
      Double device = bad != null && back != null ? seconds(bad.at(), back.at()) : null;
      Double dropDevice = dropped != null && back != null ? seconds(dropped, back.at()) : null;
      boolean same = back != null && back.sha256().equals(before.get(m.deviceId).sha256());
      if (server != null) {
        serverSide.add(server);
      }
      if (device != null) {
        deviceSide.add(device);
      }
      if (dropDevice != null) {
        dropToDevice.add(dropDevice);
      }
      if (bad == null) {
        // evidence for a device the rollout did not break: what it applied since the rollout
        for (Applied a : m.applied) {
          if (!a.at().isBefore(start)) {
            System.out.printf(
                "  %s applied v%d sha256 %s at %s: tunnel %s, %s%n",
                m.deviceId,
                a.version(),
                a.sha256(),
                a.at(),
                a.tunnel(),
                remoteAddrs(a.file(ManagementTunnel.PATH)));
          }
        }
      }
      if (same) {
        sameSha++;
      } else {
        failures.add(
            "C: device "
                + m.deviceId
                + " runs "
                + (back == null ? "no restored bundle" : "sha256 " + back.sha256())
                + " instead of its bundle from before the rollout "
                + before.get(m.deviceId).sha256());
      }
      System.out.printf(
          "%s  %-12s %10s  %10s  %10s  %s%n",
          m.deviceId,
          d == null ? "-" : d.get("status").asString(),
          fmt(server),
          fmt(device),
          fmt(dropDevice),
          same);
    }
    if (!allBack) {
      failures.add("C: not every device was rolled back: " + summary(v));
    }
    figures.add(
        String.format(
            "C  rollback, %d devices (mgmt-ipsec to unreachable.example, watch 300 s): health"
                + " drop -> ROLLED_BACK (tw view) %s; bad version applied -> previous bundle"
                + " running again (device) %s; health drop -> previous bundle running (device) %s;"
                + " %d/%d run the same sha256 as before the rollout; rollout %s",
            count,
            stats(serverSide),
            stats(deviceSide),
            stats(dropToDevice),
            sameSha,
            count,
            v.get("status").asString()));
  }

  // -- suite calls ----------------------------------------------------------------------------

  private List<Member> provision(int count, String tag, int concurrency) throws Exception {
    Member[] members = new Member[count];
    Semaphore permits = new Semaphore(concurrency);
    List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int n = i;
        pool.submit(
            () -> {
              try {
                permits.acquire();
                try {
                  members[n] = provisionOne(n, tag);
                } finally {
                  permits.release();
                }
              } catch (Exception e) {
                errors.add(e);
              }
              return null;
            });
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(errors.size() + " devices not provisioned", errors.get(0));
    }
    return List.of(members);
  }

  private Member provisionOne(int n, String tag) throws Exception {
    String serial = "RB-" + tag.substring(6) + "-" + n;
    String body =
        JSON.writeValueAsString(
            Map.of("serial", serial, "model", "ow-x86", "name", "cpe-" + n, "tags", List.of(tag)));
    var created = send("POST", "sc-service", "/api/v1/devices", body, ADMIN_KEY);
    expect(created, 201, "creating device " + serial);
    JsonNode device = JSON.readTree(created.body());
    String id = device.get("id").asString();
    var requested =
        send(
            "POST",
            "sc-service",
            "/api/v1/devices/" + id + "/config-requests",
            "{\"variables\":{}}",
            ADMIN_KEY);
    expect(requested, 202, "requesting version 1 of " + serial);
    return new Member(id, serial, device.get("bootstrapToken").asString());
  }

  private boolean twKnowsAll(List<Member> members) throws Exception {
    for (Member m : members) {
      var r =
          send("GET", "tw-service", "/api/v1/devices/" + m.deviceId + "/features", null, ADMIN_KEY);
      if (r.statusCode() != 200) {
        return false;
      }
    }
    return true;
  }

  private record Started(String url, JsonNode body) {}

  private Started rollout(
      String feature, Map<String, Object> params, Map<String, Object> selector, int wave, int watch)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("featureKey", feature);
    body.put("action", "ENABLE");
    body.put("params", params);
    body.put("selector", selector);
    body.put("waveSize", wave);
    body.put("failureThreshold", 0);
    body.put("waveTimeoutSeconds", 600);
    body.put("watchWindowSeconds", watch);
    var r =
        send("POST", "tw-service", "/api/v1/rollouts", JSON.writeValueAsString(body), ADMIN_KEY);
    expect(r, 201, "creating the " + feature + " rollout");
    return new Started(r.headers().firstValue("Location").orElseThrow(), JSON.readTree(r.body()));
  }

  /** Waits until the rollout stops running (COMPLETED, PAUSED, CANCELLED) and returns its view. */
  private JsonNode awaitRollout(String url, Duration timeout, int expected) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextPrint = System.nanoTime();
    JsonNode v = view(url);
    while (System.nanoTime() < deadline) {
      v = view(url);
      String status = v.get("status").asString();
      if (!"RUNNING".equals(status)) {
        if (v.get("devices").size() != expected) {
          failures.add(
              "rollout " + url + " selected " + v.get("devices").size() + " of " + expected);
        }
        return v;
      }
      if (System.nanoTime() >= nextPrint) {
        System.out.println("  " + summary(v));
        nextPrint = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(250);
    }
    return v;
  }

  private JsonNode view(String url) throws Exception {
    var r = send("GET", "tw-service", url, null, ADMIN_KEY);
    expect(r, 200, "reading " + url);
    return JSON.readTree(r.body());
  }

  private static String summary(JsonNode v) {
    return v.get("status").asString()
        + " wave "
        + v.get("currentWave").asInt()
        + "/"
        + v.get("waveCount").asInt()
        + " "
        + v.get("counts")
        + (v.get("pauseReason") == null || v.get("pauseReason").isNull()
            ? ""
            : " pause: " + v.get("pauseReason").asString());
  }

  private HttpResponse<String> send(
      String method, String service, String path, String body, String key) throws Exception {
    var builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.port(service) + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key);
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    builder.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
    }
  }

  // -- helpers --------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  @FunctionalInterface
  private interface Progress {
    String show() throws Exception;
  }

  private static void awaitUntil(String what, Duration timeout, Condition c, Progress p)
      throws Exception {
    if (!awaitQuietly(timeout, c, p)) {
      throw new IllegalStateException("timed out after " + timeout + ": " + what + "; " + p.show());
    }
  }

  private static boolean awaitQuietly(Duration timeout, Condition c, Progress p) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextPrint = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      if (System.nanoTime() > nextPrint) {
        System.out.println("  " + p.show());
        nextPrint = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(250);
    }
    return true;
  }

  /** Removes the run's database and broker data (best effort). */
  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                  // left for the system's temp cleanup
                }
              });
    } catch (java.io.IOException | RuntimeException e) {
      // left for the system's temp cleanup
    }
  }

  private static String remoteAddrs(String swanctl) {
    if (swanctl == null) {
      return "no " + ManagementTunnel.PATH;
    }
    return swanctl
        .lines()
        .map(String::trim)
        .filter(l -> l.startsWith("remote_addrs"))
        .findFirst()
        .orElse("no remote_addrs");
  }

  private static boolean contains(String text, String part) {
    return text != null && text.contains(part);
  }

  private static Instant instant(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : Instant.parse(v.asString());
  }

  private static double seconds(Instant from, Instant to) {
    return from == null || to == null ? Double.NaN : Duration.between(from, to).toNanos() / 1e9;
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String fmt(Double s) {
    return s == null ? "-" : String.format("%.1f s", s);
  }

  private static String stats(List<Double> values) {
    if (values.isEmpty()) {
      return "n/a";
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    return String.format(
        "p50 %.1f s, p95 %.1f s, max %.1f s (n %d)",
        pct(sorted, 50), pct(sorted, 95), sorted.getLast(), sorted.size());
  }

  private static double pct(List<Double> sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  /** The host's load average: on a shared 2-core machine it says how much of it the run had. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** A random AES-256 key (base64) for this run's sealed secret variables and PKI keys. */
  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }
}
