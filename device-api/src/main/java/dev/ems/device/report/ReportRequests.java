package dev.ems.device.report;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Bodies devices send; unknown fields are refused. */
final class ReportRequests {

  private ReportRequests() {}

  record ConfigStatusRequest(
      @NotNull @Min(1) Integer version,
      @NotNull @Pattern(regexp = "[0-9a-f]{64}") String sha256,
      @NotNull @Pattern(regexp = "APPLIED|FAILED") String status,
      @Size(max = 4000) String error,
      Instant reportedAt) {}

  record TunnelRequest(
      @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String name,
      @NotNull @Pattern(regexp = "ESTABLISHED|CONNECTING|DOWN") String state,
      @PositiveOrZero long bytesIn,
      @PositiveOrZero long bytesOut,
      @PositiveOrZero long packetsIn,
      @PositiveOrZero long packetsOut,
      Instant lastChange) {}

  /** {@code configSha256}: the bundle the device runs; optional, older devices do not send it. */
  record HeartbeatRequest(
      @NotNull Instant sentAt,
      @NotNull @PositiveOrZero @Max(10L * 365 * 24 * 3600) Long uptimeSeconds,
      @Size(max = 64) String firmware,
      @NotNull @Size(max = 16) List<@Valid TunnelRequest> tunnels,
      @Pattern(regexp = "[0-9a-f]{64}") String configSha256,
      // commands the device received in an earlier response: no longer handed out (issue 16)
      @Size(max = 64) List<@NotNull UUID> acknowledgedCommands) {}

  record CheckResultRequest(
      @NotNull UUID commandId,
      @NotNull @Pattern(regexp = "SUCCEEDED|FAILED") String status,
      @Size(max = 16_384) String output) {}
}
