package dev.ems.sc.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The config pipeline's latency as ops see it: from the accepted request ({@code POST
 * .../config-requests} stored it) to its version's publication, as a histogram with buckets ({@code
 * ems_config_pipeline_seconds_bucket}) so that quantiles aggregate across replicas.
 */
@Component
class PipelineMetrics {

  private final Timer acceptedToPublished;

  PipelineMetrics(MeterRegistry registry) {
    this.acceptedToPublished =
        Timer.builder("ems.config.pipeline")
            .description("Config request accepted → its version published")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(5))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
  }

  void published(Duration sinceAccepted) {
    acceptedToPublished.record(sinceAccepted.isNegative() ? Duration.ZERO : sinceAccepted);
  }
}
