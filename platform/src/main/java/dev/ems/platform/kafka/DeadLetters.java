package dev.ems.platform.kafka;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.Topics;
import dev.ems.platform.web.EmsException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dead letters of this service: the {@code <topic>.dlt} topics of the topics its listeners
 * consume. Reading them takes a short-lived consumer that assigns and seeks (no consumer group, no
 * committed offsets), bounded by {@link #MAX_SCAN} records and {@link #READ_TIMEOUT}; which ones an
 * administrator re-drove or discarded is kept in {@code dead_letter_handled}, so a record is
 * re-driven at most once.
 */
public class DeadLetters {

  /** The header a re-driven record carries: {@code <dlt topic>/<partition>/<offset>}. */
  public static final String REDRIVEN_FROM = "ems_redriven_from";

  /** At most this many records are scanned per dead-letter topic for one list. */
  static final int MAX_SCAN = 10_000;

  static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  static final int PAYLOAD_PREVIEW = 2_048;

  /** Spring Kafka's dead-letter headers (original place, exception), dropped on a re-drive. */
  private static final String DLT_HEADER_PREFIX = "kafka_dlt-";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  /** Listing filter. */
  public enum State {
    OPEN,
    HANDLED,
    ALL
  }

  /** One dead letter as administrators see it. */
  public record DeadLetter(
      String topic,
      int partition,
      long offset,
      String key,
      String originalTopic,
      Integer originalPartition,
      Long originalOffset,
      String eventType,
      String tenant,
      String exceptionClass,
      String exceptionMessage,
      String causeClass,
      Instant deadLetteredAt,
      String handled,
      String payload,
      boolean payloadTruncated) {}

  public record Page(List<DeadLetter> items, int page, int size, long total) {}

  private final ConsumerFactory<String, byte[]> consumers;
  private final KafkaTemplate<String, byte[]> template;
  private final KafkaListenerEndpointRegistry listeners;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public DeadLetters(
      ConsumerFactory<String, byte[]> consumers,
      KafkaTemplate<String, byte[]> template,
      KafkaListenerEndpointRegistry listeners,
      JdbcClient jdbc,
      TransactionTemplate transactions) {
    this.consumers = consumers;
    this.template = template;
    this.listeners = listeners;
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** The dead-letter topics this service fills: those of the topics its listeners consume. */
  public Set<String> topics() {
    Set<String> topics = new TreeSet<>();
    listeners
        .getListenerContainers()
        .forEach(
            c -> {
              String[] consumed = c.getContainerProperties().getTopics();
              if (consumed != null) {
                for (String topic : consumed) {
                  topics.add(Topics.deadLetter(topic));
                }
              }
            });
    return topics;
  }

  /**
   * How many records each dead-letter topic of this service holds (handled or not; end minus
   * beginning offsets, so cheap) — for a metric.
   */
  public Map<String, Long> countsPerTopic() {
    Map<String, Long> counts = new TreeMap<>();
    try (Consumer<String, byte[]> consumer = consumer()) {
      for (String topic : topics()) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
        counts.put(topic, partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum());
      }
    }
    return counts;
  }

  public Page list(String topic, State state, int page, int size) {
    Collection<String> topics = topic == null ? topics() : List.of(known(topic));
    List<DeadLetter> matching = new ArrayList<>();
    try (Consumer<String, byte[]> consumer = consumer()) {
      for (String t : topics) {
        Map<String, String> handled = handled(t);
        for (ConsumerRecord<String, byte[]> record : readAll(consumer, t)) {
          String action = handled.get(record.partition() + "/" + record.offset());
          boolean wanted =
              switch (state) {
                case OPEN -> action == null;
                case HANDLED -> action != null;
                case ALL -> true;
              };
          if (wanted) {
            matching.add(view(record, action));
          }
        }
      }
    }
    int from = (int) Math.min((long) page * size, matching.size());
    int to = Math.min(from + size, matching.size());
    return new Page(List.copyOf(matching.subList(from, to)), page, size, matching.size());
  }

  /**
   * Publishes the dead letter again to its original topic (same key and value, its headers without
   * the {@code kafka_dlt-*} ones, plus {@link #REDRIVEN_FROM}). At most once: a second call is a
   * conflict. The handled row and the send succeed together or not at all.
   */
  public DeadLetter redrive(String topic, int partition, long offset, String by) {
    ConsumerRecord<String, byte[]> record = find(known(topic), partition, offset);
    String original = originalTopic(record);
    return transactions.execute(
        tx -> {
          markHandled(topic, partition, offset, "REDRIVEN", by);
          RecordHeaders headers = new RecordHeaders();
          for (Header header : record.headers()) {
            if (!header.key().startsWith(DLT_HEADER_PREFIX)) {
              headers.add(header);
            }
          }
          headers.add(
              REDRIVEN_FROM,
              (topic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8));
          try {
            template
                .send(new ProducerRecord<>(original, null, record.key(), record.value(), headers))
                .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
          } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw unavailable(e);
          }
          log.info(
              "dead letter {}/{}/{} re-driven to {} by {}", topic, partition, offset, original, by);
          return view(record, "REDRIVEN");
        });
  }

  /** Marks the dead letter handled without re-driving it. At most once, like a re-drive. */
  public DeadLetter discard(String topic, int partition, long offset, String by) {
    ConsumerRecord<String, byte[]> record = find(known(topic), partition, offset);
    markHandled(topic, partition, offset, "DISCARDED", by);
    log.info("dead letter {}/{}/{} discarded by {}", topic, partition, offset, by);
    return view(record, "DISCARDED");
  }

  private void markHandled(String topic, int partition, long offset, String action, String by) {
    int inserted =
        jdbc.sql(
                """
                insert into dead_letter_handled (topic, "partition", "offset", action, handled_by)
                values (?, ?, ?, ?, ?) on conflict do nothing""")
            .params(topic, partition, offset, action, by)
            .update();
    if (inserted == 0) {
      String already =
          jdbc.sql(
                  """
                  select action from dead_letter_handled
                  where topic = ? and "partition" = ? and "offset" = ?""")
              .params(topic, partition, offset)
              .query(String.class)
              .single();
      throw new EmsException(
          ErrorCode.CONFLICT,
          "dead letter %s/%d/%d was already %s"
              .formatted(topic, partition, offset, already.toLowerCase()));
    }
  }

  private Map<String, String> handled(String topic) {
    Map<String, String> handled = new HashMap<>();
    jdbc.sql("select \"partition\", \"offset\", action from dead_letter_handled where topic = ?")
        .param(topic)
        .query(
            rs -> {
              handled.put(rs.getInt(1) + "/" + rs.getLong(2), rs.getString(3));
            });
    return handled;
  }

  private String known(String topic) {
    if (!topics().contains(topic)) {
      throw new EmsException(
          ErrorCode.NOT_FOUND, "not a dead-letter topic of this service: " + topic, "topic");
    }
    return topic;
  }

  private List<ConsumerRecord<String, byte[]>> readAll(
      Consumer<String, byte[]> consumer, String topic) {
    List<TopicPartition> partitions = partitions(consumer, topic);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    if (partitions.isEmpty()) {
      return records;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (records.size() < MAX_SCAN
        && System.nanoTime() < deadline
        && partitions.stream().anyMatch(tp -> consumer.position(tp, READ_TIMEOUT) < end.get(tp))) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (records.size() < MAX_SCAN) {
          records.add(record);
        }
      }
    }
    return records;
  }

  private ConsumerRecord<String, byte[]> find(String topic, int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    try (Consumer<String, byte[]> consumer = consumer()) {
      if (!partitions(consumer, topic).contains(tp)) {
        throw notFound(topic, partition, offset);
      }
      consumer.assign(List.of(tp));
      long begin = consumer.beginningOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      if (offset < begin || offset >= end) {
        throw notFound(topic, partition, offset);
      }
      consumer.seek(tp, offset);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return record;
          }
          if (record.offset() > offset) {
            throw notFound(topic, partition, offset); // compacted or a transaction marker
          }
        }
      }
    }
    throw unavailable(null);
  }

  private static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, READ_TIMEOUT);
    if (infos == null) {
      return List.of();
    }
    return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
  }

  private Consumer<String, byte[]> consumer() {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    return consumers.createConsumer(null, "dead-letters", null, overrides);
  }

  private static DeadLetter view(ConsumerRecord<String, byte[]> record, String handled) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    String payload = new String(value, StandardCharsets.UTF_8);
    boolean truncated = payload.length() > PAYLOAD_PREVIEW;
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        originalTopic(record),
        intHeader(record, KafkaHeaders.DLT_ORIGINAL_PARTITION),
        longHeader(record, KafkaHeaders.DLT_ORIGINAL_OFFSET),
        text(record, CloudEventCodec.H_TYPE),
        text(record, CloudEventCodec.H_TENANT),
        text(record, KafkaHeaders.DLT_EXCEPTION_FQCN),
        text(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE),
        text(record, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN),
        Instant.ofEpochMilli(record.timestamp()),
        handled,
        truncated ? payload.substring(0, PAYLOAD_PREVIEW) : payload,
        truncated);
  }

  private static String originalTopic(ConsumerRecord<String, byte[]> record) {
    String original = text(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
    if (original != null) {
      return original;
    }
    String topic = record.topic();
    return topic.endsWith(".dlt") ? topic.substring(0, topic.length() - 4) : topic;
  }

  private static String text(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Integer intHeader(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value().length != 4
        ? null
        : ByteBuffer.wrap(header.value()).getInt();
  }

  private static Long longHeader(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value().length != 8
        ? null
        : ByteBuffer.wrap(header.value()).getLong();
  }

  private static EmsException notFound(String topic, int partition, long offset) {
    return new EmsException(
        ErrorCode.NOT_FOUND, "no dead letter at %s/%d/%d".formatted(topic, partition, offset));
  }

  private static EmsException unavailable(Exception cause) {
    var e =
        new EmsException(
            ErrorCode.SERVICE_UNAVAILABLE, "the broker did not answer in time; try again");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }
}
