package dev.ems.diagnostic.health.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What SC published for a device ({@code desired*}) against what the device last reported ({@code
 * reported*}), the last version it reported APPLIED ({@code applied*}, {@code appliedAt} on
 * device-api's clock) and the bundle its heartbeats say it runs ({@code runningSha}); any part may
 * be null while unknown. {@code driftSince} is set while the device runs a bundle that is neither
 * its last applied nor its latest published one (config drift), null otherwise.
 *
 * <p>Only a heartbeat marks drift: a report or a publication can move the expectations ahead of the
 * running sha the last heartbeat brought (the device applied v3 and says so before its next
 * heartbeat), so they may clear drift but never raise it.
 */
public record ConfigState(
    Integer desiredVersion,
    String desiredSha,
    Integer reportedVersion,
    String reportedSha,
    String reportedStatus,
    String reportedError,
    Instant reportedAt,
    Integer appliedVersion,
    String appliedSha,
    Instant appliedAt,
    String runningSha,
    Instant driftSince) {

  public static final ConfigState NONE =
      new ConfigState(null, null, null, null, null, null, null, null, null, null, null, null);

  /** Applies a newly published version; an older or repeated one changes nothing. */
  public ConfigState published(int version, String sha) {
    if (desiredVersion != null && version <= desiredVersion) {
      return this;
    }
    return new ConfigState(
            version,
            sha,
            reportedVersion,
            reportedSha,
            reportedStatus,
            reportedError,
            reportedAt,
            appliedVersion,
            appliedSha,
            appliedAt,
            runningSha,
            driftSince)
        .settled();
  }

  /** A device report received at {@code at} (see the six-argument form). */
  public ConfigState reported(int version, String sha, String status, String error, Instant at) {
    return reported(version, sha, status, error, at, at);
  }

  /**
   * Applies a device report ({@code at} the device's time of it, {@code receivedAt} device-api's);
   * one older than the latest report changes nothing. An APPLIED report makes its bundle the
   * device's applied one.
   */
  public ConfigState reported(
      int version, String sha, String status, String error, Instant at, Instant receivedAt) {
    if (reportedAt != null && !at.isAfter(reportedAt)) {
      return this;
    }
    boolean applied = "APPLIED".equals(status);
    return new ConfigState(
            desiredVersion,
            desiredSha,
            version,
            sha,
            status,
            error,
            at,
            applied ? Integer.valueOf(version) : appliedVersion,
            applied ? sha : appliedSha,
            // the database keeps microseconds, as it does for heartbeats' receivedAt
            applied ? receivedAt.truncatedTo(ChronoUnit.MICROS) : appliedAt,
            runningSha,
            driftSince)
        .settled();
  }

  /**
   * Judges the bundle a heartbeat received at {@code at} says the device runs. No sha (a device
   * that does not send it) or nothing expected yet: no judgement, no drift. A heartbeat received
   * before the latest APPLIED report is judged against expectations newer than itself, so it
   * changes nothing.
   */
  public ConfigState running(String sha, Instant at) {
    if (sha == null) {
      return withRunning(null, null);
    }
    if (appliedAt != null && at.isBefore(appliedAt)) {
      return this;
    }
    if (!judges() || expects(sha)) {
      return withRunning(sha, null);
    }
    return withRunning(sha, driftSince != null ? driftSince : at);
  }

  /**
   * What the heartbeats say of the running bundle: OUT_OF_SYNC (drifted), IN_SYNC (an expected
   * one), UNKNOWN (no sha heard or nothing to compare it with).
   */
  public String sync() {
    if (drifted()) {
      return "OUT_OF_SYNC";
    }
    return runningSha != null && judges() && expects(runningSha) ? "IN_SYNC" : "UNKNOWN";
  }

  /** Whether the device runs a bundle it is not expected to run. */
  public boolean drifted() {
    return driftSince != null;
  }

  /** Whether there is anything to compare a running bundle with. */
  public boolean judges() {
    return appliedSha != null || desiredSha != null;
  }

  /**
   * Whether {@code sha} is one of the bundles the device may run: last applied, latest published.
   */
  public boolean expects(String sha) {
    return Objects.equals(sha, appliedSha) || Objects.equals(sha, desiredSha);
  }

  /** Clears drift once the running bundle turned out to be expected (never raises it). */
  private ConfigState settled() {
    return driftSince != null && expects(runningSha) ? withRunning(runningSha, null) : this;
  }

  private ConfigState withRunning(String sha, Instant since) {
    if (Objects.equals(sha, runningSha) && Objects.equals(since, driftSince)) {
      return this;
    }
    return new ConfigState(
        desiredVersion,
        desiredSha,
        reportedVersion,
        reportedSha,
        reportedStatus,
        reportedError,
        reportedAt,
        appliedVersion,
        appliedSha,
        appliedAt,
        sha,
        since);
  }
}
