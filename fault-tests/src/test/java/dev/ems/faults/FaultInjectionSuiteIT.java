package dev.ems.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability under faults (issue 16): a simulated fleet enrolls, fetches, applies, reports and
 * heartbeats, and an operator submits config requests, feature changes and on-demand checks, while
 * PostgreSQL is stopped for {@code ems.fault.outage-seconds} (30) and started again on the same
 * data, then Kafka likewise, then one device-api replica is killed while the other serves. Once the
 * load stops, within a bounded recovery time, every acknowledged request is COMPLETED or FAILED
 * with a reason, no request is stuck, no request made two versions, every acknowledged report and
 * heartbeat is visible in SC and diagnostics, every acknowledged check was run and answered, and
 * every device's newest version renders the feature set tw-service holds.
 */
@Tag("faults")
class FaultInjectionSuiteIT {

  private static final Duration OUTAGE =
      Duration.ofSeconds(Long.getLong("ems.fault.outage-seconds", 30));
  private static final Duration RECOVERY = Duration.ofSeconds(180);

  @TempDir Path dir;

  @Test
  void nothingAcknowledgedIsLostDuplicatedOrStuckAcrossDatabaseBrokerAndReplicaFaults()
      throws Exception {
    try (FaultSuite faults = new FaultSuite(dir).start()) {
      FaultFleet fleet = new FaultFleet(faults).provision(6);
      Map<String, Double> recovery = new LinkedHashMap<>();
      fleet.start();
      fleet.awaitProgress();

      faults.stopPostgres();
      Thread.sleep(OUTAGE);
      faults.startPostgres();
      recovery.put("postgres", fleet.secondsToAComplete());

      faults.stopKafka();
      Thread.sleep(OUTAGE);
      faults.startKafka();
      recovery.put("kafka", fleet.secondsToAComplete());

      long killed = System.nanoTime();
      faults.killFirstDeviceApi();
      var afterKill = new java.util.HashMap<>(fleet.heartbeatAcknowledged);
      await()
          .atMost(RECOVERY)
          .conditionEvaluationListener(
              e -> {
                if (e.getRemainingTimeInMS() < 3000) {
                  System.out.println("devices' last heartbeats: " + fleet.lastHeartbeat);
                }
              })
          .until(
              () ->
                  fleet.devices.stream()
                      .allMatch(
                          d ->
                              fleet.heartbeatAcknowledged.getOrDefault(d.id(), 0L)
                                  > afterKill.getOrDefault(d.id(), 0L)));
      recovery.put("device-api replica", (System.nanoTime() - killed) / 1e9);

      long stopped = System.nanoTime();
      fleet.stop(faults, RECOVERY);
      FaultCounts settled = FaultCounts.awaitSettled(fleet, faults, RECOVERY);
      recovery.put("settled after the operator stopped", (System.nanoTime() - stopped) / 1e9);
      System.out.println("fault injection: " + settled + " recovery seconds " + recovery);

      FaultCounts c = settled;
      assertThat(c.requestsAcknowledged()).isPositive();
      assertThat(c.requestsCompleted() + c.requestsFailedWithReason())
          .isEqualTo(c.requestsAcknowledged());
      assertThat(c.appliedReportsAcknowledged()).isPositive();
      assertThat(c.checksAcknowledged()).isPositive();
      assertThat(fleet.featuresAcknowledged.get()).isPositive();
    }
  }
}
