package dev.ems.tw.rollout.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WavePlanTests {

  @Test
  void devicesAreSplitInOrderIntoWavesOfAtMostTheSize() {
    assertThat(WavePlan.of(List.of(1, 2, 3, 4, 5), 2))
        .containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
    assertThat(WavePlan.of(List.of(1, 2), 10)).containsExactly(List.of(1, 2));
    assertThat(WavePlan.of(List.of(), 3)).isEmpty();
  }

  @Test
  void waveSizeBelowOneIsRefused() {
    assertThatThrownBy(() -> WavePlan.of(List.of(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
