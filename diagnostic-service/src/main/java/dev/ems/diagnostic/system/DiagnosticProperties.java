package dev.ems.diagnostic.system;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of diagnostic-service ({@code diag.*}).
 *
 * @param heartbeatInterval how often devices heartbeat
 * @param missedHeartbeats heartbeats a device may miss before it is OFFLINE
 * @param offlineGrace added to the missed intervals to absorb jitter and delivery delay
 * @param sweepInterval how often the offline, alert and check sweeps run
 * @param sweepBatchSize devices one sweep transaction takes at most
 * @param clockSkewThreshold device clock offset beyond which a heartbeat is flagged as skewed
 * @param historyRetention how long tunnel changes and metric samples are kept
 * @param metricsSampleInterval at most one metric sample per device per interval
 * @param checkTimeout how long an on-demand check waits for the device's answer
 * @param alertHoldDown how long a condition must stay clear before its alert resolves; a condition
 *     that comes back within it re-raises the same alert (hysteresis against flapping)
 * @param alertConfirmHeartbeats consecutive heartbeats a tunnel-down condition must be seen in
 *     before its alert opens (1: at once); a flapping tunnel opens none
 * @param telemetryConcurrency consumer threads of the telemetry batch listener
 * @param telemetryMaxPollRecords heartbeats one telemetry batch (one transaction) takes at most
 */
@Validated
@ConfigurationProperties("diag")
public record DiagnosticProperties(
    @NotNull Duration heartbeatInterval,
    @Min(1) int missedHeartbeats,
    @NotNull Duration offlineGrace,
    @NotNull Duration sweepInterval,
    @Min(1) int sweepBatchSize,
    @NotNull Duration clockSkewThreshold,
    @NotNull Duration historyRetention,
    @NotNull Duration metricsSampleInterval,
    @NotNull Duration checkTimeout,
    @NotNull Duration alertHoldDown,
    @Min(1) int alertConfirmHeartbeats,
    @Min(1) int telemetryConcurrency,
    @Min(1) int telemetryMaxPollRecords) {

  /** Silence after the last heartbeat that makes a device OFFLINE. */
  public Duration offlineAfter() {
    return heartbeatInterval.multipliedBy(missedHeartbeats).plus(offlineGrace);
  }
}
