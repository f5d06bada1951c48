package dev.ems.tw.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of tw-service ({@code tw.*}).
 *
 * @param defaultWaveTimeout how long a rollout waits for a changed device to report APPLIED before
 *     counting it as failed, when the rollout does not say
 * @param rolloutSweepInterval how often timed-out rollout devices are looked for
 * @param maxRolloutDevices most devices one rollout may select
 * @param maxParamsBytes largest parameter object accepted for one feature
 * @param defaultWatchWindow how long a rollout watches a device's health after it applied the
 *     change (a CRITICAL health inside rolls the device back), when the rollout does not say
 */
@Validated
@ConfigurationProperties("tw")
public record TwProperties(
    @NotNull Duration defaultWaveTimeout,
    @NotNull Duration rolloutSweepInterval,
    @Min(1) @Max(100_000) int maxRolloutDevices,
    @Min(64) int maxParamsBytes,
    @NotNull Duration defaultWatchWindow) {}
