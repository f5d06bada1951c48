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
 * <p>{@code ConfigPublished} does not say what caused a version, so the produced version is taken
 * to be the first one published for the device after its wave made the change (see {@link #first}).
 */
public record ProducedVersion(int version, String sha256) {

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
   * The produced version once {@code published} was consumed: the one already recorded stays (a
   * later version is not this rollout's), otherwise the published one is.
   */
  public static ProducedVersion first(ProducedVersion recorded, ProducedVersion published) {
    return recorded != null ? recorded : published;
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
