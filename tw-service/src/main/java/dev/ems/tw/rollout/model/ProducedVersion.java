package dev.ems.tw.rollout.model;

import dev.ems.common.event.ConfigStatusReported;
import java.util.Objects;

/**
 * The configuration version SC produced for a device of a rollout after its wave changed the
 * device's features, and the rule for the device's reports: only a report of exactly this version
 * and sha256 counts (APPLIED or FAILED); a report of any other version, or one before any version
 * is known, is ignored. The report's {@code reportedAt} is the device's clock and plays no part;
 * order comes from the broker (which event tw-service consumed first).
 *
 * <p>Which published version is the produced one comes from its cause (see {@link #producedBy}): SC
 * names a version made by the feature set of revision {@code n} {@code features-<n>}, so a version
 * an operator's request or a rollback made meanwhile is not taken. An event without a cause (from
 * an older SC), or a device whose revision was not recorded, falls back to the first version
 * published for the device after its wave made the change (see {@link #first}).
 */
public record ProducedVersion(int version, String sha256) {

  /** How SC's cause of a version made by tw-service's feature set begins. */
  public static final String FEATURES_CAUSE = "features-";

  /** What a device's report means for its rollout. */
  public enum Verdict {
    APPLIED,
    FAILED,
    IGNORED
  }

  public ProducedVersion {
    Objects.requireNonNull(sha256, "sha256");
  }

  /**
   * Whether a version SC published with {@code cause} can be the one produced by the change that
   * gave the device's feature set {@code revision}: it must have been made by that revision's
   * feature set or a later one (SC renders from the newest set it holds, and may skip a revision
   * another one overtook). A null cause or revision means unknown: the version is taken.
   */
  public static boolean producedBy(String cause, Long revision) {
    if (cause == null || revision == null) {
      return true;
    }
    if (!cause.startsWith(FEATURES_CAUSE)) {
      return false;
    }
    try {
      return Long.parseLong(cause.substring(FEATURES_CAUSE.length())) >= revision;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The produced version once {@code published} was consumed: the one already recorded stays (a
   * later version is not this rollout's), otherwise the published one is.
   */
  public static ProducedVersion first(ProducedVersion recorded, ProducedVersion published) {
    return recorded != null ? recorded : published;
  }

  /**
   * Whether the device already runs this version: its last APPLIED report ({@code appliedVersion},
   * {@code appliedSha256}; null when none was consumed) is of exactly this version and bundle. SC
   * publishes the device's current version again when a change renders the configuration the device
   * already has, and the device sends no new report for it.
   */
  public boolean runningOn(Integer appliedVersion, String appliedSha256) {
    return appliedVersion != null && appliedVersion == version && sha256.equals(appliedSha256);
  }

  /** The verdict on a report; {@code produced} is null while no version is known yet. */
  public static Verdict judge(ProducedVersion produced, ConfigStatusReported report) {
    return produced == null ? Verdict.IGNORED : produced.judge(report);
  }

  public Verdict judge(ConfigStatusReported report) {
    if (report.version() != version || !sha256.equals(report.sha256())) {
      return Verdict.IGNORED;
    }
    return switch (String.valueOf(report.status())) {
      case "APPLIED" -> Verdict.APPLIED;
      case "FAILED" -> Verdict.FAILED;
      default -> Verdict.IGNORED;
    };
  }
}
