package dev.ems.bench;

import dev.ems.simulator.SimulatedDevice;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Simulated devices as a fleet runs them, one virtual thread each: enroll with the bootstrap token,
 * poll the configuration with its ETag every {@code poll}, apply what changed (signature verified
 * by {@link SimulatedDevice#apply}), heartbeat every {@code heartbeat} with the state of the
 * ems-mgmt tunnel the running bundle gives. Each device keeps its own record of what it applied and
 * when, which the benchmark reads from other threads ({@link Member#running}, {@link
 * Member#applied}); the {@link SimulatedDevice} itself is touched by its own thread only.
 */
final class SimulatedFleet implements AutoCloseable {

  /** A bundle the device applied (its signature verified), at the device's clock. */
  record Applied(int version, String sha256, Instant at, String tunnel, JsonNode bundle) {

    /** The content of a file of the bundle, or null when it has none at that path. */
    String file(String path) {
      JsonNode files = bundle.get("files");
      if (files != null) {
        for (JsonNode f : files) {
          if (path.equals(f.path("path").asString(null))) {
            return f.path("content").asString("");
          }
        }
      }
      return null;
    }
  }

  /** One device of the fleet. */
  static final class Member {
    final String deviceId;
    final String serial;
    final String bootstrapToken;
    final List<Applied> applied = new CopyOnWriteArrayList<>();
    volatile Applied running;
    volatile boolean enrolled;

    /** The device's last answers, for a report on a device that got stuck. */
    volatile String lastEnroll = "-";

    volatile String lastPoll = "-";
    volatile String lastRefusal;

    /** What the device saw last, in one line. */
    String state() {
      return serial
          + " ("
          + deviceId
          + "): enroll "
          + lastEnroll
          + ", last config poll "
          + lastPoll
          + ", running "
          + (running == null ? "nothing" : "v" + running.version())
          + (lastRefusal == null ? "" : ", refused: " + lastRefusal);
    }

    Member(String deviceId, String serial, String bootstrapToken) {
      this.deviceId = deviceId;
      this.serial = serial;
      this.bootstrapToken = bootstrapToken;
    }

    /** The first bundle applied at or after {@code since} that satisfies the test, or null. */
    Applied firstAppliedSince(Instant since, java.util.function.Predicate<Applied> test) {
      for (Applied a : applied) {
        if (!a.at().isBefore(since) && test.test(a)) {
          return a;
        }
      }
      return null;
    }
  }

  final AtomicLong configOk = new AtomicLong();
  final AtomicLong notModified = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong heartbeats = new AtomicLong();
  final AtomicLong errors = new AtomicLong();

  private final HttpClient http;
  private final String deviceApi;
  private final Duration poll;
  private final Duration heartbeat;
  private final String headend;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /**
   * Enrollments at once. A fleet switched on together all enrolling at the same instant made
   * device-api's answers outlast the devices' 10 s timeout; the cancelled requests interrupted its
   * JDBC calls, broke pool connections and were retried, so enrollment slowed to a crawl. Real
   * fleets come online spread out; this is the setup of the benchmark, not what it measures.
   */
  private final java.util.concurrent.Semaphore enrolling;

  private volatile boolean stopped;
  private volatile String lastError;

  SimulatedFleet(
      HttpClient http,
      String deviceApi,
      Duration poll,
      Duration heartbeat,
      String headend,
      int concurrentEnrollments) {
    this.enrolling = new java.util.concurrent.Semaphore(concurrentEnrollments);
    this.http = http;
    this.deviceApi = deviceApi;
    this.poll = poll;
    this.heartbeat = heartbeat;
    this.headend = headend;
  }

  /** Starts the device's own thread. */
  void start(Member member) {
    threads.add(Thread.ofVirtual().name("device-" + member.serial).start(() -> run(member)));
  }

  String lastError() {
    return lastError;
  }

  private void run(Member member) {
    try {
      var device = new SimulatedDevice(http, deviceApi, member.serial, "X-SSL-Client-Cert");
      while (!stopped && !enroll(device, member)) {
        Thread.sleep(1000);
      }
      member.enrolled = true;
      long begin = System.nanoTime();
      // spread the fleet's polls and heartbeats over their periods, as independent devices do
      long nextBeat = begin + ThreadLocalRandom.current().nextLong(heartbeat.toNanos());
      long nextPoll = begin;
      while (!stopped) {
        long now = System.nanoTime();
        if (now >= nextPoll) {
          pollOnce(device, member);
          nextPoll = now + poll.toNanos();
        }
        now = System.nanoTime();
        if (now >= nextBeat) {
          beat(device, member, (now - begin) / 1_000_000_000L);
          nextBeat = now + heartbeat.toNanos();
        }
        long sleep = Math.min(nextPoll, nextBeat) - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(Duration.ofNanos(sleep));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      error(member, e);
    }
  }

  private boolean enroll(SimulatedDevice device, Member member) throws InterruptedException {
    enrolling.acquire();
    try {
      int status = device.enroll(member.bootstrapToken);
      member.lastEnroll = Integer.toString(status);
      return status == 200;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      errors.incrementAndGet();
      member.lastEnroll = e.toString();
      lastError = device.serial() + " enrolling: " + e;
      return false;
    } finally {
      enrolling.release();
    }
  }

  private void pollOnce(SimulatedDevice device, Member member) {
    try {
      int status = device.fetchConfig();
      member.lastPoll = Integer.toString(status);
      if (status == 304) {
        notModified.incrementAndGet();
        return;
      }
      if (status != 200) {
        if (status != 404) { // 404: no version published yet
          errors.incrementAndGet();
        }
        return;
      }
      configOk.incrementAndGet();
      int reported = device.apply(null);
      if (device.lastRefusal() != null) {
        member.lastRefusal = "v" + device.config().version() + ": " + device.lastRefusal();
        refused.incrementAndGet();
        return;
      }
      var c = device.running();
      Applied applied =
          new Applied(
              c.version(),
              c.bundle().get("sha256").asString(),
              Instant.now(),
              device.managementTunnel(headend),
              c.bundle());
      member.applied.add(applied);
      member.running = applied;
      if (reported / 100 != 2) {
        errors.incrementAndGet();
        lastError = member.serial + ": config-status answered " + reported;
      }
    } catch (Exception e) {
      member.lastPoll = e.toString();
      error(member, e);
    }
  }

  private void beat(SimulatedDevice device, Member member, long uptime) {
    try {
      if (device.heartbeat(uptime, device.managementTunnel(headend)).statusCode() == 200) {
        heartbeats.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
    } catch (Exception e) {
      error(member, e);
    }
  }

  private void error(Member member, Exception e) {
    errors.incrementAndGet();
    lastError = member.serial + ": " + e;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(15));
    }
  }
}
