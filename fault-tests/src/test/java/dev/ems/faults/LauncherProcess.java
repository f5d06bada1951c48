package dev.ems.faults;

import dev.ems.embedded.FreePorts;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./ems up} in a child process — the launcher with its embedded PostgreSQL and Kafka, data
 * in a folder of its own — that can be SIGKILLed with everything it started (the JVM and its
 * PostgreSQL processes) and started again on the same data and ports.
 */
final class LauncherProcess implements FaultTarget, AutoCloseable {

  private static final long READY_SECONDS = 600;

  private final Path home;
  private final int pgPort = FreePorts.next();
  private final int kafkaPort = twoFreePorts();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final StringBuffer output = new StringBuffer();
  private final boolean faultControl;
  private Process process;
  // the launcher's whole output, kept after the test's folder is gone
  private final java.io.PrintStream log;

  LauncherProcess(Path home) {
    this(home, false);
  }

  /** {@code faultControl}: Kafka and PostgreSQL can be stopped by {@link #pause}. */
  LauncherProcess(Path home, boolean faultControl) {
    this.home = home;
    this.faultControl = faultControl;
    Suite.SERVICES.forEach(s -> ports.put(s.name(), FreePorts.next()));
    try {
      Path logs = Path.of("target", "fault-logs");
      java.nio.file.Files.createDirectories(logs);
      this.log =
          new java.io.PrintStream(
              java.nio.file.Files.newOutputStream(
                  logs.resolve("launcher-" + System.currentTimeMillis() + ".log")),
              true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts the launcher and waits until it says the suite is ready. */
  LauncherProcess start() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    var builder =
        new ProcessBuilder(
                java,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ems.launcher.EmsLauncher")
            .redirectErrorStream(true);
    var env = builder.environment();
    env.put("EMS_HOME", home.toString());
    env.put("EMS_PG_PORT", "" + pgPort);
    env.put("EMS_KAFKA_PORT", "" + kafkaPort);
    env.put("EMS_BOOTSTRAP_ADMIN_KEY", TestInfrastructure.ADMIN_KEY);
    env.put("EMS_BOOTSTRAP_TENANT", TestInfrastructure.BOOTSTRAP_TENANT);
    ports.forEach((service, port) -> env.put(variable(service), "" + port));
    env.put("EMS_FAULT_CONTROL", "" + faultControl);
    process = builder.start();
    CountDownLatch ready = new CountDownLatch(1);
    Process started = process;
    Thread.ofVirtual()
        .start(
            () -> {
              try (var lines =
                  new BufferedReader(new InputStreamReader(started.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  output.append(line).append('\n');
                  log.println(line);
                  if (output.length() > 400_000) {
                    output.delete(0, output.length() - 100_000);
                  }
                  if (line.startsWith("EMS ready")) {
                    ready.countDown();
                  }
                }
              } catch (java.io.IOException e) {
                // the process is gone
              }
            });
    // a launcher that died on the way (a port taken, say) is a failure now, not in ten minutes
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    while (!ready.await(1, TimeUnit.SECONDS)) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        kill();
        throw new IllegalStateException(
            "the launcher was not ready ("
                + (process.isAlive() ? "timed out" : "exited")
                + "):\n"
                + tail());
      }
    }
    if (!process.isAlive()) {
      kill();
      throw new IllegalStateException("the launcher was not ready (exited):\n" + tail());
    }
    return this;
  }

  /**
   * SIGKILL of the launcher and every process it started — its PostgreSQL above all, which runs
   * detached from it (pg_ctl daemonizes the postmaster), found by its {@code postmaster.pid}.
   */
  void kill() throws Exception {
    var descendants = new java.util.ArrayList<>(process.descendants().toList());
    Path pidFile = home.resolve("postgres").resolve("postmaster.pid");
    if (java.nio.file.Files.exists(pidFile)) {
      long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).getFirst().trim());
      ProcessHandle.of(postmaster)
          .ifPresent(
              pg -> {
                descendants.add(pg);
                descendants.addAll(pg.descendants().toList());
              });
    }
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(60, TimeUnit.SECONDS);
    for (ProcessHandle p : descendants) {
      p.onExit().orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> p).join();
    }
  }

  /** Stops the launcher's {@code kafka} or {@code postgres} (fault control) until resumed. */
  void pause(String infrastructure) throws java.io.IOException {
    java.nio.file.Files.writeString(home.resolve(infrastructure + ".stopped"), "");
  }

  void resume(String infrastructure) throws java.io.IOException {
    java.nio.file.Files.deleteIfExists(home.resolve(infrastructure + ".stopped"));
  }

  @Override
  public int port(String service) {
    return ports.get(service);
  }

  @Override
  public String deviceApi(int replica) {
    return "http://127.0.0.1:" + ports.get("device-api");
  }

  @Override
  public Connection database() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + pgPort + "/ems?user=postgres");
  }

  @Override
  public String log() {
    return "\nlauncher log (all of it in target/fault-logs):\n" + tail();
  }

  String tail() {
    String all = output.toString();
    return all.substring(Math.max(0, all.length() - 4000));
  }

  /** SIGTERM (a clean stop), SIGKILL if it takes too long. */
  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      var descendants = process.descendants().toList();
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static String variable(String service) {
    return service.toUpperCase().replace('-', '_') + "_PORT";
  }

  /** A free port whose next port is free too (Kafka's controller listens there). */
  private static int twoFreePorts() {
    java.io.IOException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FreePorts.next();
      try (var next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (java.io.IOException e) {
        last = e; // taken: try another
      }
    }
    throw new IllegalStateException("no two consecutive free ports (last: " + last + ")", last);
  }
}
