package dev.ems.diagnostic.ingest;

import dev.ems.common.event.CheckResultReported;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.check.CheckResults;
import dev.ems.diagnostic.health.HealthService;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Device reports: config apply status feeds health (the envelope's time, device-api's clock, is
 * when an APPLIED report arrived, comparable with heartbeats' receivedAt), check results complete
 * checks. One listener for the topic, because two in one consumer group would split its partitions
 * between them.
 */
@Component
class DeviceReportsListener {

  private final EventReader events;
  private final HealthService health;
  private final CheckResults checks;
  private final TelemetryMetrics metrics;

  DeviceReportsListener(
      EventReader events, HealthService health, CheckResults checks, TelemetryMetrics metrics) {
    this.events = events;
    this.health = health;
    this.checks = checks;
    this.metrics = metrics;
  }

  @KafkaListener(topics = Topics.DEVICE_REPORTS)
  void on(ConsumerRecord<String, byte[]> record) {
    if (events.is(record, ConfigStatusReported.class)) {
      var event = events.decode(record, ConfigStatusReported.class);
      ConfigStatusReported r = event.payload();
      if (r.deviceId() == null || r.reportedAt() == null || r.status() == null) {
        metrics.rejected("config-status", "invalid");
        return;
      }
      health.apply(
          event.tenant(),
          r.deviceId(),
          "config-status",
          s ->
              s.withConfig(
                  s.config()
                      .reported(
                          r.version(),
                          r.sha256(),
                          r.status(),
                          r.error(),
                          r.reportedAt(),
                          event.time())));
    } else if (events.is(record, CheckResultReported.class)) {
      var event = events.decode(record, CheckResultReported.class);
      checks.complete(event.tenant(), event.payload());
    }
  }
}
