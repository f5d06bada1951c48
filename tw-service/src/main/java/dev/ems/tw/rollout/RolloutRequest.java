package dev.ems.tw.rollout;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Body of {@code POST /api/v1/rollouts}: ENABLE (add or update with {@code params}) or DISABLE one
 * feature on the selected devices, {@code waveSize} devices at a time; more than {@code
 * failureThreshold} failed devices pause it; {@code waveTimeoutSeconds} defaults to {@code
 * tw.default-wave-timeout}. After a changed device applied, its health is watched for {@code
 * watchWindowSeconds} (default {@code tw.default-watch-window}, 0 = not watched, at most a day): a
 * CRITICAL health inside the window rolls it back and pauses the rollout.
 */
record RolloutRequest(
    @NotBlank String featureKey,
    @NotNull @Pattern(regexp = "ENABLE|DISABLE") String action,
    Map<String, Object> params,
    @NotNull @Valid Selector selector,
    @NotNull @Min(1) @Max(10_000) Integer waveSize,
    @Min(0) Integer failureThreshold,
    @Min(1) @Max(604_800) Integer waveTimeoutSeconds,
    @Min(0) @Max(86_400) Integer watchWindowSeconds) {

  static final String ENABLE = "ENABLE";
  static final String DISABLE = "DISABLE";

  record Selector(
      @jakarta.validation.constraints.Size(max = 20) List<@NotBlank String> tags,
      UUID siteId,
      String model,
      @jakarta.validation.constraints.Size(max = 10_000) List<@NotNull UUID> deviceIds) {}
}
