package dev.ems.faults;

import static org.awaitility.Awaitility.await;

import dev.ems.simulator.SimulatedDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small simulated fleet and an operator working on a {@link FaultSuite} while faults come and go,
 * recording what EMS acknowledged: config requests (202), feature changes (200), on-demand checks
 * (202), devices' APPLIED reports (202) and heartbeats (200). Devices move to the other device-api
 * replica when theirs does not answer, as behind a load balancer.
 */
final class FaultFleet {

  /** A device of the fleet: its id, its simulator and the uptime of its next heartbeat. */
  record Device(String id, SimulatedDevice sim, AtomicLong uptime) {}

  private static final JsonMapper json = new JsonMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final FaultTarget faults;
  final List<Device> devices = new ArrayList<>();

  final Set<String> requestsAcknowledged = ConcurrentHashMap.newKeySet();
  final Set<String> checksAcknowledged = ConcurrentHashMap.newKeySet();
  final Set<String> appliedAcknowledged = ConcurrentHashMap.newKeySet();
  final Map<String, Long> heartbeatAcknowledged = new ConcurrentHashMap<>();
  final AtomicInteger featuresAcknowledged = new AtomicInteger();

  /** Per device: the replica it uses and what its last heartbeat got (status or exception). */
  final Map<String, String> lastHeartbeat = new ConcurrentHashMap<>();

  final AtomicInteger operatorNotAcknowledged = new AtomicInteger();
  final AtomicInteger deviceNotAcknowledged = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private volatile boolean operating;
  private Thread operator;

  FaultFleet(FaultTarget faults) {
    this.faults = faults;
  }

  /** Creates, configures and enrolls {@code count} devices, alternating between the replicas. */
  FaultFleet provision(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      String serial = "FAULT-" + i + "-" + System.nanoTime();
      var created =
          json.readTree(
              call(
                      "POST",
                      "sc-service",
                      "/api/v1/devices",
                      "{\"serial\":\""
                          + serial
                          + "\",\"model\":\"ow-x86\",\"name\":\"f"
                          + i
                          + "\"}")
                  .body());
      String id = created.get("id").asString();
      requestConfig(id, "log-0.example");
      var sim =
          new SimulatedDevice(
              HttpClient.newHttpClient(), faults.deviceApi(i % 2), serial, "X-SSL-Client-Cert");
      String token = created.get("bootstrapToken").asString();
      // a timeout or a 503 is "not yet" on a loaded machine, as it is for a real device, which
      // asks again about once a second with the same request (a timed-out enrollment may have
      // completed); the timeout's message names the last status
      await("enrollment of " + serial)
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptionsInstanceOf(java.io.IOException.class)
          .until(() -> sim.enroll(token), status -> status == 200);
      devices.add(new Device(id, sim, new AtomicLong(1)));
    }
    for (Device d : devices) {
      String features = "/api/v1/devices/" + d.id() + "/features";
      await()
          .atMost(Duration.ofSeconds(180))
          .ignoreExceptionsInstanceOf(java.io.IOException.class)
          .until(() -> call("GET", "tw-service", features, null).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(180))
          .ignoreExceptionsInstanceOf(java.io.IOException.class)
          .until(
              () ->
                  call("GET", "diagnostic-service", "/api/v1/devices/" + d.id() + "/checks", null)
                          .statusCode()
                      == 200);
    }
    return this;
  }

  void start() {
    running = true;
    operating = true;
    for (Device d : devices) {
      threads.add(Thread.ofVirtual().start(() -> deviceLoop(d)));
    }
    operator = Thread.ofVirtual().start(this::operatorLoop);
    threads.add(operator);
  }

  /**
   * Stops the operator, then lets the devices work (fetch, report, heartbeat) until each check the
   * operator was acknowledged is answered or {@code within} passes, and stops them: a command is
   * handed to a device in a heartbeat, so one requested just before the devices stopped would
   * otherwise look lost although nothing asked for it any more. Whatever is still unanswered is
   * counted as lost by {@link FaultCounts}.
   */
  void stop(FaultTarget faults, Duration within) throws Exception {
    operating = false;
    operator.join(Duration.ofSeconds(30));
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline && !checksAnswered(faults)) {
      Thread.sleep(1000);
    }
    stop();
  }

  private boolean checksAnswered(FaultTarget faults) {
    try (var db = faults.database();
        var statement =
            db.prepareStatement(
                "select count(*) from diag.device_check where id = any(?)"
                    + " and status = 'PENDING'")) {
      statement.setArray(
          1,
          db.createArrayOf(
              "uuid", checksAcknowledged.stream().map(java.util.UUID::fromString).toArray()));
      try (var rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 0;
      }
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  void stop() throws InterruptedException {
    running = false;
    operating = false;
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30));
    }
  }

  private void deviceLoop(Device d) {
    while (running) {
      try {
        if (d.sim().fetchConfig() == 200) {
          int version = d.sim().config().version();
          // an APPLIED report (one whose signature did not verify is reported FAILED)
          if (d.sim().reportApply(true, null) == 202) {
            if (d.sim().running() != null && d.sim().running().version() == version) {
              appliedAcknowledged.add(d.id() + "/" + version);
            }
          } else {
            deviceNotAcknowledged.incrementAndGet();
          }
        }
        long uptime = d.uptime().getAndIncrement();
        int heartbeat = d.sim().heartbeat(uptime, "ESTABLISHED").statusCode();
        lastHeartbeat.put(d.id(), current(d) + " " + heartbeat);
        if (heartbeat == 200) {
          heartbeatAcknowledged.merge(d.id(), uptime, Math::max);
        } else {
          deviceNotAcknowledged.incrementAndGet();
        }
      } catch (java.io.IOException e) {
        // no answer: the load balancer moves the device to the other replica
        lastHeartbeat.put(d.id(), current(d) + " " + e);
        deviceNotAcknowledged.incrementAndGet();
        d.sim().useDeviceApi(faults.deviceApi(faults.deviceApi(0).equals(current(d)) ? 1 : 0));
      } catch (Exception e) {
        lastHeartbeat.put(d.id(), current(d) + " " + e);
        deviceNotAcknowledged.incrementAndGet();
      }
      pause(700);
    }
  }

  private static String current(Device d) {
    return d.sim().deviceApiUrl();
  }

  private void operatorLoop() {
    int n = 0;
    while (operating) {
      Device d = devices.get(n % devices.size());
      try {
        switch (n % 3) {
          case 0 -> requestConfig(d.id(), "log-" + n + ".example");
          case 1 -> {
            var put =
                call(
                    "PUT",
                    "tw-service",
                    "/api/v1/devices/" + d.id() + "/features/ntp-dns",
                    "{\"params\":{\"ntp_servers\":[\"ntp-"
                        + n
                        + ".example\"],\"timezone\":\"UTC\"}}");
            count(put.statusCode() == 200, featuresAcknowledged);
          }
          default -> {
            var check =
                call(
                    "POST",
                    "diagnostic-service",
                    "/api/v1/devices/" + d.id() + "/checks",
                    "{\"type\":\"REACHABILITY\",\"parameters\":{\"target\":\"10.0.0.1\"}}");
            if (check.statusCode() == 202) {
              checksAcknowledged.add(json.readTree(check.body()).get("id").asString());
            } else {
              operatorNotAcknowledged.incrementAndGet();
            }
          }
        }
      } catch (Exception e) {
        operatorNotAcknowledged.incrementAndGet();
      }
      n++;
      pause(250);
    }
  }

  /** Every device has applied something and heartbeated: the load runs before the first fault. */
  void awaitProgress() {
    await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () ->
                heartbeatAcknowledged.size() == devices.size()
                    && appliedAcknowledged.size() >= devices.size()
                    && !checksAcknowledged.isEmpty());
  }

  /**
   * Seconds from now until a config request submitted now (retried until accepted) is final: the
   * pipeline works again (a render over its time budget on a loaded machine ends FAILED, also
   * final).
   */
  double secondsToAComplete() {
    long start = System.nanoTime();
    String device = devices.getFirst().id();
    AtomicReference<String> statusUrl = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (statusUrl.get() == null) {
                var accepted =
                    call(
                        "POST",
                        "sc-service",
                        "/api/v1/devices/" + device + "/config-requests",
                        "{\"variables\":{\"syslog_server\":\"probe-" + start + ".example\"}}");
                if (accepted.statusCode() != 202) {
                  return false;
                }
                statusUrl.set(accepted.headers().firstValue("Location").orElseThrow());
                requestsAcknowledged.add(json.readTree(accepted.body()).get("id").asString());
              }
              var status = call("GET", "sc-service", statusUrl.get(), null);
              String state = json.readTree(status.body()).get("status").asString();
              return state.equals("COMPLETED") || state.equals("FAILED");
            });
    return (System.nanoTime() - start) / 1e9;
  }

  private void requestConfig(String deviceId, String syslog) throws Exception {
    var accepted =
        call(
            "POST",
            "sc-service",
            "/api/v1/devices/" + deviceId + "/config-requests",
            "{\"variables\":{\"syslog_server\":\"" + syslog + "\"}}");
    if (accepted.statusCode() == 202) {
      requestsAcknowledged.add(json.readTree(accepted.body()).get("id").asString());
    } else {
      operatorNotAcknowledged.incrementAndGet();
    }
  }

  private void count(boolean acknowledged, AtomicInteger counter) {
    (acknowledged ? counter : operatorNotAcknowledged).incrementAndGet();
  }

  HttpResponse<String> call(String method, String service, String path, String body)
      throws Exception {
    var builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + faults.port(service) + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + dev.ems.embedded.TestInfrastructure.ADMIN_KEY);
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

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
