package dev.ems.tw.rollout.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RolloutDecisionTests {

  @Test
  void waveWaitsWhileDevicesHaveNotReported() {
    assertThat(RolloutDecision.decide(0, 0, 0, 1, 0, false)).isEqualTo(RolloutDecision.WAIT);
  }

  @Test
  void finishedWaveStartsTheNextOrCompletesTheLast() {
    assertThat(RolloutDecision.decide(0, 0, 0, 0, 0, false)).isEqualTo(RolloutDecision.NEXT_WAVE);
    assertThat(RolloutDecision.decide(1, 0, 1, 0, 0, true)).isEqualTo(RolloutDecision.COMPLETE);
  }

  @Test
  void failuresBeyondTheThresholdPauseEvenMidWave() {
    assertThat(RolloutDecision.decide(2, 0, 1, 3, 0, false)).isEqualTo(RolloutDecision.PAUSE);
    assertThat(RolloutDecision.decide(1, 0, 1, 3, 0, false)).isEqualTo(RolloutDecision.WAIT);
  }

  @Test
  void failuresAcceptedOnResumeDoNotPauseAgain() {
    assertThat(RolloutDecision.decide(2, 2, 0, 0, 0, false)).isEqualTo(RolloutDecision.NEXT_WAVE);
    assertThat(RolloutDecision.decide(3, 2, 0, 0, 0, false)).isEqualTo(RolloutDecision.PAUSE);
  }

  @Test
  void finishedWaveWaitsWhileAnyDeviceIsStillWatched() {
    assertThat(RolloutDecision.decide(0, 0, 0, 0, 1, false)).isEqualTo(RolloutDecision.WAIT);
    assertThat(RolloutDecision.decide(0, 0, 0, 0, 1, true)).isEqualTo(RolloutDecision.WAIT);
    assertThat(RolloutDecision.decide(2, 0, 1, 0, 1, false)).isEqualTo(RolloutDecision.PAUSE);
  }
}
