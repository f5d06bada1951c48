package dev.ems.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability under faults (issue 16): {@code ./ems up} (the launcher in a child process, embedded
 * PostgreSQL and Kafka) is SIGKILLed — the JVM and its PostgreSQL — while a simulated fleet and an
 * operator work on it, then started again on the same data. Within a bounded recovery time nothing
 * it acknowledged before the kill is lost, duplicated or stuck (the counts of {@link FaultCounts}).
 */
@Tag("faults")
class SuiteCrashIT {

  private static final Duration RECOVERY = Duration.ofSeconds(180);

  @TempDir Path dir;

  @Test
  void aSuiteKilledMidFlowLosesNothingItAcknowledgedOnceStartedOnTheSameData() throws Exception {
    try (LauncherProcess ems = new LauncherProcess(dir).start()) {
      FaultFleet fleet = new FaultFleet(ems).provision(4);
      fleet.start();
      fleet.awaitProgress();

      ems.kill();
      long killed = System.nanoTime();
      ems.start();
      double restarted = (System.nanoTime() - killed) / 1e9;
      double firstCompleted = fleet.secondsToAComplete();
      var afterRestart = new HashMap<>(fleet.heartbeatAcknowledged);
      await()
          .atMost(RECOVERY)
          .until(
              () ->
                  fleet.devices.stream()
                      .allMatch(
                          d ->
                              fleet.heartbeatAcknowledged.getOrDefault(d.id(), 0L)
                                  > afterRestart.getOrDefault(d.id(), 0L)));
      long stopped = System.nanoTime();
      fleet.stop(ems, RECOVERY);

      FaultCounts settled = FaultCounts.awaitSettled(fleet, ems, RECOVERY);
      System.out.printf(
          "suite crash: %s; restart %.1f s, first request completed %.1f s after, settled %.1f s"
              + " after the operator stopped%n",
          settled, restarted, firstCompleted, (System.nanoTime() - stopped) / 1e9);
      FaultCounts c = settled;
      assertThat(c.requestsAcknowledged()).isPositive();
      assertThat(c.requestsCompleted() + c.requestsFailedWithReason())
          .isEqualTo(c.requestsAcknowledged());
      assertThat(c.appliedReportsAcknowledged()).isPositive();
      assertThat(c.checksAcknowledged()).isPositive();
    }
  }
}
