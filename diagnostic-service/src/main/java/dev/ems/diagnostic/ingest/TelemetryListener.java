package dev.ems.diagnostic.ingest;

import dev.ems.common.envelope.EventDecodingException;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * The telemetry firehose, one poll at a time. A record that is not a valid event is handed to the
 * error handler by index (it goes to the dead-letter topic; the records before it are stored first
 * and the ones after it are redelivered).
 */
@Component
class TelemetryListener {

  private final EventReader events;
  private final HeartbeatIngest ingest;
  private final TelemetryMetrics metrics;

  TelemetryListener(EventReader events, HeartbeatIngest ingest, TelemetryMetrics metrics) {
    this.events = events;
    this.ingest = ingest;
    this.metrics = metrics;
  }

  @KafkaListener(topics = Topics.DEVICE_TELEMETRY, containerFactory = "telemetryListenerFactory")
  void on(List<ConsumerRecord<String, byte[]>> records) {
    List<EventEnvelope<HeartbeatReceived>> batch = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, byte[]> record = records.get(i);
      if (!events.is(record, HeartbeatReceived.class)) {
        metrics.rejected("telemetry", "unknown-type");
        continue;
      }
      try {
        var event = events.decode(record, HeartbeatReceived.class);
        if (event.payload().deviceId() == null || event.payload().receivedAt() == null) {
          metrics.rejected("telemetry", "invalid");
          continue;
        }
        batch.add(event);
      } catch (EventDecodingException e) {
        metrics.rejected("telemetry", "undecodable");
        ingest.ingest(batch);
        throw new BatchListenerFailedException("not a valid heartbeat", e, i);
      }
    }
    ingest.ingest(batch);
  }
}
