package dev.ems.diagnostic.health.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDriftTests {

  static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);
  static final String X = "c0ffee".repeat(10) + "c0ff";

  static Health health(ConfigState config) {
    return HealthRules.derive(
        new DeviceState(
            Connectivity.ONLINE,
            T,
            Map.of("ems-mgmt", "ESTABLISHED"),
            null,
            config,
            CertState.NONE));
  }

  @Test
  void aBundleThatIsNeitherAppliedNorPublishedIsDriftAWarningNamingBothShortShas() {
    ConfigState c =
        ConfigState.NONE
            .published(1, A)
            .reported(1, A, "APPLIED", null, T)
            .published(2, B)
            .running(X, T.plusSeconds(10));

    assertThat(c.driftSince()).isEqualTo(T.plusSeconds(10));
    Health h = health(c);
    assertThat(h.level()).isEqualTo(Level.WARNING);
    // next to the report-based finding (the device has not reported v2 yet)
    assertThat(h.conditions()).containsExactly("CONFIG_OUT_OF_SYNC", HealthRules.CONFIG_DRIFT);
    assertThat(h.reasons())
        .contains(
            "config out of sync: device runs bundle c0ffeec0ffee, expected aaaaaaaaaaaa (v1"
                + " applied) or bbbbbbbbbbbb (v2 published)");
    assertThat(h.findings()).allMatch(Finding::alertable);
  }

  @Test
  void theLastAppliedAndTheLatestPublishedBundleAreBothExpected() {
    ConfigState c =
        ConfigState.NONE.published(1, A).reported(1, A, "APPLIED", null, T).published(2, B);

    assertThat(c.running(A, T.plusSeconds(1)).drifted()).isFalse();
    assertThat(c.running(B, T.plusSeconds(1)).drifted()).isFalse();
    assertThat(health(c.running(B, T.plusSeconds(1))).conditions())
        .doesNotContain(HealthRules.CONFIG_DRIFT);
  }

  @Test
  void driftKeepsItsStartAndEndsWithAHeartbeatRunningAnExpectedBundle() {
    ConfigState drifted = ConfigState.NONE.published(1, A).running(X, T);
    ConfigState still = drifted.running(B, T.plusSeconds(30));
    assertThat(still.driftSince()).isEqualTo(T);
    assertThat(still.runningSha()).isEqualTo(B);

    assertThat(still.sync()).isEqualTo("OUT_OF_SYNC");
    ConfigState back = still.running(A, T.plusSeconds(60));
    assertThat(back.drifted()).isFalse();
    assertThat(back.sync()).isEqualTo("IN_SYNC");
    assertThat(health(back).level()).isEqualTo(Level.OK);
  }

  @Test
  void withoutARunningShaOrAnythingToCompareThereIsNoJudgement() {
    assertThat(ConfigState.NONE.published(1, A).running(null, T).drifted()).isFalse();
    assertThat(ConfigState.NONE.running(X, T).drifted()).isFalse();
    assertThat(ConfigState.NONE.running(X, T).sync()).isEqualTo("UNKNOWN");
    // a device that stops saying what it runs is no longer judged
    assertThat(ConfigState.NONE.published(1, A).running(X, T).running(null, T).drifted()).isFalse();
  }

  @Test
  void aReportOrPublicationClearsDriftButNeverRaisesIt() {
    ConfigState runsA = ConfigState.NONE.published(1, A).running(A, T);
    // the device says it applied v2 before its next heartbeat shows it: not drift (yet)
    ConfigState reportedB = runsA.published(2, B).reported(2, B, "APPLIED", null, T.plusSeconds(5));
    assertThat(reportedB.drifted()).isFalse();

    // diagnostics learns late that the bundle the device runs was published
    ConfigState drifted = ConfigState.NONE.published(1, A).running(X, T);
    assertThat(drifted.published(2, X).drifted()).isFalse();
  }

  @Test
  void aHeartbeatReceivedBeforeTheLatestAppliedReportIsNotJudged() {
    ConfigState c =
        ConfigState.NONE
            .published(1, A)
            .reported(1, A, "APPLIED", null, T)
            .published(2, B)
            .reported(2, B, "APPLIED", null, T.plusSeconds(2), T.plusSeconds(10));

    assertThat(c.running(A, T.plusSeconds(9))).isEqualTo(c);
    assertThat(c.running(A, T.plusSeconds(11)).driftSince()).isEqualTo(T.plusSeconds(11));
  }

  @Test
  void aFailedReportKeepsTheAppliedBundleExpected() {
    ConfigState c =
        ConfigState.NONE
            .published(1, A)
            .reported(1, A, "APPLIED", null, T)
            .published(2, B)
            .reported(2, B, "FAILED", "uci: bad", T.plusSeconds(5));

    assertThat(c.appliedSha()).isEqualTo(A);
    assertThat(c.running(A, T.plusSeconds(6)).drifted()).isFalse();
  }
}
