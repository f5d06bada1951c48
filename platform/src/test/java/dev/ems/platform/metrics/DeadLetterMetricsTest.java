package dev.ems.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterMetricsTest {

  @Test
  void countsFromTheMonitorsCommitOrTheLogStart() {
    assertThat(DeadLetterMetrics.unhandled(10, 0, null)).isEqualTo(10);
    assertThat(DeadLetterMetrics.unhandled(10, 4, null)).isEqualTo(6);
    assertThat(DeadLetterMetrics.unhandled(10, 0, 7L)).isEqualTo(3);
    assertThat(DeadLetterMetrics.unhandled(10, 0, 10L)).isZero();
    // records deleted by retention are no longer waiting
    assertThat(DeadLetterMetrics.unhandled(10, 8, 2L)).isEqualTo(2);
    assertThat(DeadLetterMetrics.unhandled(0, 0, null)).isZero();
  }
}
