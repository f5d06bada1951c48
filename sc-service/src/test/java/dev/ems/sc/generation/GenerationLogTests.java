package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GenerationLogTests {

  @Test
  void aGenerationFailureIsLoggedWithoutAnyExceptionMessage() {
    var failure =
        new IllegalStateException(
            "rendered s3cr3t", new IllegalArgumentException("psk=s3cr3t is not valid"));

    String logged = ConfigGenerationService.describe(failure);

    assertThat(logged)
        .contains(
            "java.lang.IllegalStateException at ",
            "<- java.lang.IllegalArgumentException at ",
            "GenerationLogTests")
        .doesNotContain("s3cr3t");
  }
}
