package dev.ems.tw.rollout.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthWatchTests {

  private static final Instant CHANGED = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant APPLIED = CHANGED.plusSeconds(30);
  private static final HealthWatch WATCH =
      new HealthWatch(CHANGED, HealthWatch.until(APPLIED, Duration.ofMinutes(5)));

  @Test
  void windowRunsFromTheAppliedTimeForTheRolloutsWindow() {
    assertThat(HealthWatch.until(APPLIED, Duration.ofMinutes(5)))
        .isEqualTo(APPLIED.plusSeconds(300));
    assertThat(HealthWatch.until(APPLIED, Duration.ZERO)).as("no watch").isNull();
  }

  @Test
  void deviceIsWatchedUntilItsWindowEnds() {
    Instant until = APPLIED.plusSeconds(300);
    assertThat(HealthWatch.watching(until, until.minusMillis(1))).isTrue();
    assertThat(HealthWatch.watching(until, until)).isFalse();
    assertThat(HealthWatch.watching(null, APPLIED)).isFalse();
  }

  @Test
  void criticalInsideTheWindowRollsBack() {
    assertThat(WATCH.rollsBack("CRITICAL", APPLIED.plusSeconds(10))).isTrue();
    assertThat(WATCH.rollsBack("CRITICAL", APPLIED.plusSeconds(300))).as("last instant").isTrue();
    assertThat(WATCH.rollsBack("CRITICAL", CHANGED.plusSeconds(5)))
        .as("dropped while its APPLIED report was on its way")
        .isTrue();
  }

  @Test
  void otherLevelsAndDropsOutsideTheWindowDoNot() {
    assertThat(WATCH.rollsBack("WARNING", APPLIED.plusSeconds(10))).isFalse();
    assertThat(WATCH.rollsBack("UNKNOWN", APPLIED.plusSeconds(10))).isFalse();
    assertThat(WATCH.rollsBack("CRITICAL", APPLIED.plusSeconds(301))).as("after").isFalse();
    assertThat(WATCH.rollsBack("CRITICAL", CHANGED.minusSeconds(1))).as("before").isFalse();
    assertThat(new HealthWatch(CHANGED, null).rollsBack("CRITICAL", APPLIED))
        .as("not watched")
        .isFalse();
  }

  @Test
  void dropTimeIsTheStampedOneUnlessMissingOrInTheFuture() {
    Instant now = APPLIED.plusSeconds(400);
    assertThat(HealthWatch.dropTime(APPLIED.plusSeconds(200), now))
        .as("consumed late, happened in the window")
        .isEqualTo(APPLIED.plusSeconds(200));
    assertThat(HealthWatch.dropTime(null, now)).isEqualTo(now);
    assertThat(HealthWatch.dropTime(now.plusSeconds(60), now)).isEqualTo(now);
  }
}
