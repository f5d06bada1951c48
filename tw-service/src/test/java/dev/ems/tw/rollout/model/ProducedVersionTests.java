package dev.ems.tw.rollout.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.ConfigStatusReported;
import dev.ems.tw.rollout.model.ProducedVersion.Verdict;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProducedVersionTests {

  private static final UUID DEVICE = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final ProducedVersion produced = new ProducedVersion(7, "sha-7");

  private static ConfigStatusReported report(int version, String sha, String status, Instant at) {
    return new ConfigStatusReported(
        DEVICE, version, sha, status, status.equals("FAILED") ? "uci broke" : null, at);
  }

  @Test
  void theExactVersionCountsAsAppliedOrFailed() {
    assertThat(produced.judge(report(7, "sha-7", "APPLIED", NOW))).isEqualTo(Verdict.APPLIED);
    assertThat(produced.judge(report(7, "sha-7", "FAILED", NOW))).isEqualTo(Verdict.FAILED);
  }

  @Test
  void aReportOfAnotherVersionDoesNotCount() {
    assertThat(produced.judge(report(8, "sha-8", "APPLIED", NOW))).isEqualTo(Verdict.IGNORED);
    assertThat(produced.judge(report(8, "sha-8", "FAILED", NOW))).isEqualTo(Verdict.IGNORED);
    assertThat(produced.judge(report(7, "sha-other", "APPLIED", NOW)))
        .as("same number, other bundle")
        .isEqualTo(Verdict.IGNORED);
    assertThat(produced.judge(report(7, null, "APPLIED", NOW))).isEqualTo(Verdict.IGNORED);
  }

  @Test
  void aStaleReportDoesNotCount() {
    assertThat(produced.judge(report(6, "sha-6", "APPLIED", NOW)))
        .as("the version the device ran before")
        .isEqualTo(Verdict.IGNORED);
    assertThat(ProducedVersion.judge(null, report(6, "sha-6", "APPLIED", NOW)))
        .as("no version produced yet")
        .isEqualTo(Verdict.IGNORED);
  }

  @Test
  void theDevicesClockPlaysNoPart() {
    Instant longAgo = Instant.parse("1970-01-01T00:00:00Z");
    Instant farAhead = Instant.parse("2099-01-01T00:00:00Z");

    assertThat(produced.judge(report(7, "sha-7", "APPLIED", longAgo))).isEqualTo(Verdict.APPLIED);
    assertThat(produced.judge(report(7, "sha-7", "APPLIED", null))).isEqualTo(Verdict.APPLIED);
    assertThat(produced.judge(report(6, "sha-6", "APPLIED", farAhead))).isEqualTo(Verdict.IGNORED);
  }

  @Test
  void otherReportKindsDoNotCount() {
    assertThat(produced.judge(report(7, "sha-7", "DOWNLOADED", NOW))).isEqualTo(Verdict.IGNORED);
  }

  @Test
  void theFirstVersionPublishedAfterTheChangeIsTheProducedOne() {
    var later = new ProducedVersion(8, "sha-8");

    assertThat(ProducedVersion.first(null, produced)).isEqualTo(produced);
    assertThat(ProducedVersion.first(produced, later)).isEqualTo(produced);
  }

  @Test
  void onlyAVersionCausedByTheChangesRevisionOrALaterOneIsProducedByIt() {
    assertThat(ProducedVersion.producedBy("features-4", 4L)).isTrue();
    assertThat(ProducedVersion.producedBy("features-5", 4L))
        .as("SC rendered a newer set, which holds the change")
        .isTrue();
    assertThat(ProducedVersion.producedBy("features-3", 4L))
        .as("the set before the change")
        .isFalse();
    assertThat(ProducedVersion.producedBy("request:" + UUID.randomUUID(), 4L))
        .as("an operator's config request")
        .isFalse();
    assertThat(ProducedVersion.producedBy("rollback:2", 4L)).isFalse();
    assertThat(ProducedVersion.producedBy("features-x", 4L)).isFalse();
  }

  @Test
  void withoutACauseOrARecordedRevisionTheFirstVersionAfterTheChangeIsTaken() {
    assertThat(ProducedVersion.producedBy(null, 4L)).as("an older SC's event").isTrue();
    assertThat(ProducedVersion.producedBy("request:" + UUID.randomUUID(), null))
        .as("a device waiting since before revisions were recorded")
        .isTrue();
  }

  @Test
  void deviceRunsTheVersionOnlyWhenItLastAppliedExactlyIt() {
    ProducedVersion v5 = new ProducedVersion(5, "sha-5");

    assertThat(v5.runningOn(5, "sha-5")).isTrue();
    assertThat(v5.runningOn(5, "sha-other")).as("other bundle, same number").isFalse();
    assertThat(v5.runningOn(4, "sha-5")).isFalse();
    assertThat(v5.runningOn(null, null)).as("no report consumed").isFalse();
  }
}
