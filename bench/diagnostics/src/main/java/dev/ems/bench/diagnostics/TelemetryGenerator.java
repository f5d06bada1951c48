package dev.ems.bench.diagnostics;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.common.event.TunnelStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Device i heartbeats at offset i × interval / devices within every interval, as device-api would
 * publish it (CloudEvents, key = device id). The first {@code silent} devices stop after the first
 * interval and a half; their last receivedAt is kept for the offline measurement.
 */
final class TelemetryGenerator {

  /**
   * The bundle every device says it runs. No config is published in this benchmark, so there is
   * nothing to compare it to and every heartbeat stays on diagnostics' fast path, as in a fleet
   * without drift.
   */
  private static final String BUNDLE_SHA = "5e".repeat(32);

  private final KafkaProducer<String, byte[]> producer;
  private final CloudEventCodec codec = new CloudEventCodec();
  private final int devices;
  private final Duration interval;
  private final int silent;
  private final AtomicLong produced = new AtomicLong();
  private final Map<UUID, Instant> silenced = new ConcurrentHashMap<>();

  TelemetryGenerator(String bootstrap, int devices, Duration interval, int silent) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.ACKS_CONFIG,
                "all"));
    this.devices = devices;
    this.interval = interval;
    this.silent = silent;
  }

  static UUID device(int i) {
    return UUID.fromString(String.format("00000000-0000-4000-8000-%012x", i));
  }

  void run(Duration duration) {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long perDevice = interval.toNanos() / devices;
    long silenceAt = start + interval.toNanos() * 3 / 2;
    long sent = 0; // heartbeats scheduled so far, across intervals
    while (System.nanoTime() < end) {
      long due = (System.nanoTime() - start) / perDevice;
      for (; sent <= due; sent++) {
        int i = (int) (sent % devices);
        long at = start + sent * perDevice;
        if (i < silent && at >= silenceAt) {
          continue;
        }
        send(i, sent / devices);
      }
      DiagnosticsBenchmark.sleepUntil(start + (sent + 1) * perDevice);
    }
    producer.flush();
    producer.close();
  }

  private void send(int i, long round) {
    UUID id = device(i);
    Instant now = Instant.now();
    String mgmt = (i % 1000 == 7 && round % 2 == 1) ? "DOWN" : "ESTABLISHED";
    var heartbeat =
        new HeartbeatReceived(
            id,
            now,
            now,
            3600 + round * interval.toSeconds(),
            "fw-24.10",
            List.of(
                new TunnelStatus("ems-mgmt", mgmt, round * 1000, round * 900, round, round, now),
                new TunnelStatus(
                    "wan1", "ESTABLISHED", round * 5000, round * 4000, round, round, now)),
            BUNDLE_SHA);
    var encoded = codec.encode(EventEnvelope.of("/bench", "default", id.toString(), heartbeat));
    var record =
        new ProducerRecord<String, byte[]>(Topics.DEVICE_TELEMETRY, encoded.key(), encoded.value());
    encoded.headers().forEach((k, v) -> record.headers().add(new RecordHeader(k, v)));
    producer.send(
        record,
        (meta, e) -> {
          if (e == null) {
            produced.incrementAndGet();
          } else {
            System.err.println("produce failed: " + e);
          }
        });
    if (i < silent) {
      silenced.put(id, now);
    }
  }

  long produced() {
    return produced.get();
  }

  Map<UUID, Instant> silenced() {
    return silenced;
  }
}
