package dev.ems.diagnostic.ingest;

import dev.ems.common.envelope.EventDecodingException;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.health.IngestWatermarks;
import dev.ems.platform.kafka.EventReader;
import dev.ems.platform.kafka.TransientFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerPartitionIdleEvent;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * The telemetry firehose, one poll at a time. A record that is not a valid event is handed to the
 * error handler by index (it goes to the dead-letter topic; the records before it are stored first
 * and the ones after it are redelivered). A database that is unavailable fails the batch from its
 * first record, which the error handler retries with back-off for as long as the outage lasts:
 * heartbeats are never dead-lettered for it. Also keeps each partition's watermark: caught up → the
 * current time, behind → the newest receivedAt consumed.
 */
@Component
class TelemetryListener {

  static final String ID = "telemetry";

  private static final Logger log = LoggerFactory.getLogger(TelemetryListener.class);

  private final EventReader events;
  private final HeartbeatIngest ingest;
  private final IngestWatermarks watermarks;
  private final TelemetryMetrics metrics;
  private final Clock clock;

  TelemetryListener(
      EventReader events,
      HeartbeatIngest ingest,
      IngestWatermarks watermarks,
      TelemetryMetrics metrics,
      Clock clock) {
    this.events = events;
    this.ingest = ingest;
    this.watermarks = watermarks;
    this.metrics = metrics;
    this.clock = clock;
  }

  @KafkaListener(
      id = ID,
      idIsGroup = false,
      topics = Topics.DEVICE_TELEMETRY,
      containerFactory = "telemetryListenerFactory",
      // big polls: one commit for many heartbeats; the broker holds a fetch up to 500 ms to fill
      // it, a delay that is small against the heartbeat interval
      properties = {
        "max.poll.records=${diag.telemetry-max-poll-records}",
        "fetch.min.bytes=1048576",
        "fetch.max.wait.ms=500"
      })
  void on(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
    List<EventEnvelope<HeartbeatReceived>> batch = new ArrayList<>(records.size());
    Map<Integer, Instant> newest = new HashMap<>();
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
        newest.merge(
            record.partition(), event.payload().receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
      } catch (EventDecodingException e) {
        metrics.rejected("telemetry", "undecodable");
        store(batch, Map.of());
        throw new BatchListenerFailedException("not a valid heartbeat", e, i);
      }
    }
    Map<Integer, Instant> consumedUntil = new HashMap<>(newest);
    Instant now = clock.instant();
    Set<TopicPartition> partitions = new HashSet<>();
    records.forEach(r -> partitions.add(new TopicPartition(r.topic(), r.partition())));
    for (TopicPartition tp : partitions) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isPresent() && lag.getAsLong() == 0) {
        consumedUntil.put(tp.partition(), now);
      }
    }
    store(batch, consumedUntil);
  }

  /** A partition that brought nothing for a while is caught up (unless we paused it). */
  @EventListener
  void onIdle(ListenerContainerPartitionIdleEvent event) {
    TopicPartition tp = event.getTopicPartition();
    // the event only flags a paused partition, not a paused container (published on the
    // consumer thread, so asking the consumer is safe)
    boolean paused = event.isPaused() || event.getConsumer().paused().contains(tp);
    if (tp.topic().equals(Topics.DEVICE_TELEMETRY) && !paused) {
      Instant now = clock.instant();
      try {
        watermarks.advance(Map.of(tp.partition(), now), now);
      } catch (DataAccessException e) {
        log.debug("watermark not advanced: {}", e.getMessage()); // the next idle event will
      }
    }
  }

  private void store(List<EventEnvelope<HeartbeatReceived>> batch, Map<Integer, Instant> until) {
    try {
      ingest.ingest(batch, until);
    } catch (RuntimeException e) {
      if (TransientFailures.isTransient(e)) {
        throw new BatchListenerFailedException("database unavailable, batch retried", e, 0);
      }
      throw e;
    }
  }
}
