package dev.ems.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * bench/chaos.sh: {@code ./ems up} (the launcher in a child process, fault control on) with a
 * simulated fleet and an operator for {@code MINUTES}, cycling through the faults of {@link
 * FaultInjectionSuiteIT} and {@link SuiteCrashIT} — PostgreSQL stopped, Kafka stopped (each {@code
 * OUTAGE_SECONDS}), SIGKILL of the whole suite and a restart on the same data — measuring how long
 * each takes to recover (a config request submitted after the fault, retried until accepted, is
 * COMPLETED), then prints the counts once the load stopped and the suite settled.
 */
public final class ChaosRun {

  private ChaosRun() {}

  public static void main(String[] args) throws Exception {
    double minutes = Double.parseDouble(env("MINUTES", "3"));
    int devices = Integer.parseInt(env("DEVICES", "8"));
    Duration outage = Duration.ofSeconds(Long.parseLong(env("OUTAGE_SECONDS", "30")));
    Path home = Files.createTempDirectory("ems-chaos");
    long end = System.nanoTime() + (long) (minutes * 60e9);
    List<String> recoveries = new ArrayList<>();
    boolean failed;
    try (LauncherProcess ems = new LauncherProcess(home, true)) {
      say("starting ./ems up (data in " + home + ")");
      ems.start();
      FaultFleet fleet = new FaultFleet(ems).provision(devices);
      fleet.start();
      fleet.awaitProgress();
      int round = 0;
      do {
        String fault = List.of("postgres", "kafka", "sigkill").get(round++ % 3);
        say("fault: " + fault);
        long injected = System.nanoTime();
        if (fault.equals("sigkill")) {
          ems.kill();
          ems.start();
        } else {
          ems.pause(fault);
          Thread.sleep(outage);
          ems.resume(fault);
        }
        double recovered = fleet.secondsToAComplete();
        double total = (System.nanoTime() - injected) / 1e9;
        String line =
            String.format(
                Locale.ROOT,
                "%-9s down %5.1f s, first request completed %5.1f s after it was back",
                fault,
                total - recovered,
                recovered);
        recoveries.add(line);
        say(line);
        var before = new HashMap<>(fleet.heartbeatAcknowledged);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    fleet.devices.stream()
                        .allMatch(
                            d ->
                                fleet.heartbeatAcknowledged.getOrDefault(d.id(), 0L)
                                    > before.getOrDefault(d.id(), 0L)));
      } while (System.nanoTime() < end || round < 3);
      long stopped = System.nanoTime();
      // the operator stops first; the devices work on until the checks it was acknowledged are
      // answered (a command reaches a device in a heartbeat), as the fault tests do
      fleet.stop(ems, Duration.ofSeconds(180));
      FaultCounts counts = FaultCounts.of(fleet, ems);
      while (!counts.nothingLostDuplicatedOrStuck()
          && System.nanoTime() - stopped < Duration.ofSeconds(180).toNanos()) {
        Thread.sleep(2000);
        counts = FaultCounts.of(fleet, ems);
      }
      double settled = (System.nanoTime() - stopped) / 1e9;
      System.out.println();
      System.out.println("=== chaos: " + devices + " devices, " + round + " faults ===");
      recoveries.forEach(r -> System.out.println("  " + r));
      System.out.printf(Locale.ROOT, "  settled %.1f s after the load stopped%n", settled);
      print(counts, fleet);
      System.out.println(
          counts.nothingLostDuplicatedOrStuck()
              ? "RESULT: 0 lost, 0 duplicated, 0 stuck"
              : "RESULT: FAILED (see the counts above)");
      failed = !counts.nothingLostDuplicatedOrStuck();
    }
    // after the launcher is closed: System.exit inside the try left its JVM running
    if (failed) {
      System.exit(1);
    }
  }

  private static void print(FaultCounts c, FaultFleet fleet) {
    System.out.printf(
        Locale.ROOT,
        "  operator config requests acknowledged %d: completed %d, failed with a reason %d,"
            + " lost or unfinished %d; stuck (all requests) %d; versions created twice %d%n",
        c.requestsAcknowledged(),
        c.requestsCompleted(),
        c.requestsFailedWithReason(),
        c.requestsLostOrUnfinished(),
        c.stuckRequests(),
        c.versionsCreatedTwice());
    System.out.printf(
        Locale.ROOT,
        "  feature changes acknowledged %d; devices whose newest version misses their feature set"
            + " %d%n",
        fleet.featuresAcknowledged.get(),
        c.featureSetsNotPublished());
    System.out.printf(
        Locale.ROOT,
        "  device APPLIED reports acknowledged %d, not visible in SC %d; devices whose last"
            + " acknowledged heartbeat is not visible in diagnostics %d%n",
        c.appliedReportsAcknowledged(),
        c.appliedReportsNotVisible(),
        c.heartbeatsNotVisible());
    System.out.printf(
        Locale.ROOT,
        "  checks acknowledged %d, commands lost %d, commands handed out again (unacknowledged)"
            + " %d%n",
        c.checksAcknowledged(),
        c.commandsLost(),
        c.commandsHandedOutAgain());
    System.out.printf(
        Locale.ROOT,
        "  not acknowledged during faults (refused or no answer): operator %d, device %d%n",
        fleet.operatorNotAcknowledged.get(),
        fleet.deviceNotAcknowledged.get());
  }

  private static void say(String line) {
    System.out.println("chaos: " + line);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
