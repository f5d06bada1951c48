package dev.ems.platform.metrics;

import dev.ems.common.event.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Dead letters per topic ({@code ems_kafka_dead_letters{topic="<topic>.dlt"}}): the records on a
 * dead-letter topic that nobody has dealt with yet, i.e. its end offset minus the offset committed
 * by the consumer group {@value #MONITOR_GROUP} (or minus the log start, when that group never
 * committed). Whatever lists, re-drives or discards dead letters commits that group's offset past
 * the records it handled; then the gauge falls back to 0. Read with the admin client, two requests
 * per scrape at most (cached {@link #TTL}); NaN while Kafka cannot be reached. Every service
 * reports the same figures: aggregate with {@code max by (topic)}.
 */
final class DeadLetterMetrics implements DisposableBean {

  static final String MONITOR_GROUP = "ems-dlt-monitor";
  static final Duration TTL = Duration.ofSeconds(15);
  private static final long TIMEOUT_MS = 2000;

  private final KafkaAdmin kafkaAdmin;
  private final List<TopicPartition> partitions;
  private final CachedSnapshot<Map<TopicPartition, Long>> counts;
  private Admin admin;

  DeadLetterMetrics(KafkaAdmin kafkaAdmin) {
    this.kafkaAdmin = kafkaAdmin;
    // platform creates every dead-letter topic with one partition (KafkaConfiguration)
    this.partitions =
        Topics.ALL.stream()
            .map(topic -> new TopicPartition(Topics.deadLetter(topic.name()), 0))
            .toList();
    this.counts = new CachedSnapshot<>(this::read, null, TTL, System::nanoTime);
  }

  void bindTo(MeterRegistry registry) {
    for (TopicPartition partition : partitions) {
      Gauge.builder("ems.kafka.dead.letters", this, m -> m.count(partition))
          .description("Dead letters not yet re-driven or discarded")
          .tag("topic", partition.topic())
          .strongReference(true)
          .register(registry);
    }
  }

  /** Pure: dead letters of one partition from its end, its start and the monitor's commit. */
  static long unhandled(long end, long start, Long committed) {
    long from = committed == null ? start : Math.max(start, committed);
    return Math.max(0, end - from);
  }

  private double count(TopicPartition partition) {
    Map<TopicPartition, Long> current = counts.get();
    Long count = current == null ? null : current.get(partition);
    return count == null ? Double.NaN : count;
  }

  private Map<TopicPartition, Long> read() {
    try {
      Admin client = admin();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (TopicPartition partition : partitions) {
        latest.put(partition, OffsetSpec.latest());
        earliest.put(partition, OffsetSpec.earliest());
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          client.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> starts =
          client.listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          client
              .listConsumerGroupOffsets(MONITOR_GROUP)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> counts = new HashMap<>();
      for (TopicPartition partition : partitions) {
        ListOffsetsResultInfo end = ends.get(partition);
        ListOffsetsResultInfo start = starts.get(partition);
        if (end != null && start != null) {
          OffsetAndMetadata commit = committed.get(partition);
          counts.put(
              partition,
              unhandled(end.offset(), start.offset(), commit == null ? null : commit.offset()));
        }
      }
      return counts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception kafkaUnavailable) {
      return null;
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(kafkaAdmin.getConfigurationProperties());
    }
    return admin;
  }

  @Override
  public synchronized void destroy() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
