package dev.ems.diagnostic.health.model;

import java.time.Instant;

/**
 * What SC published for a device ({@code desired*}) against what the device last reported ({@code
 * reported*}); any part may be null while unknown.
 */
public record ConfigState(
    Integer desiredVersion,
    String desiredSha,
    Integer reportedVersion,
    String reportedSha,
    String reportedStatus,
    String reportedError,
    Instant reportedAt) {

  public static final ConfigState NONE = new ConfigState(null, null, null, null, null, null, null);

  /** Applies a newly published version; an older or repeated one changes nothing. */
  public ConfigState published(int version, String sha) {
    if (desiredVersion != null && version <= desiredVersion) {
      return this;
    }
    return new ConfigState(
        version, sha, reportedVersion, reportedSha, reportedStatus, reportedError, reportedAt);
  }

  /** Applies a device report; one older than the latest report changes nothing. */
  public ConfigState reported(int version, String sha, String status, String error, Instant at) {
    if (reportedAt != null && !at.isAfter(reportedAt)) {
      return this;
    }
    return new ConfigState(desiredVersion, desiredSha, version, sha, status, error, at);
  }
}
