package dev.ems.embedded;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EncodedEvent;
import dev.ems.common.envelope.EventDecodingException;
import dev.ems.common.envelope.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes and reads EMS events on the test broker ({@link
 * TestInfrastructure#kafkaBootstrapServers()}), as another service would: CloudEvents binary mode,
 * device id as key.
 */
public final class TestEvents {

  private static final CloudEventCodec codec = new CloudEventCodec();

  private TestEvents() {}

  /** Publishes an event and waits for the broker's acknowledgement. */
  public static void publish(String topic, EventEnvelope<?> event) {
    EncodedEvent encoded = codec.encode(event);
    var record = new ProducerRecord<>(topic, encoded.key(), encoded.value());
    encoded.headers().forEach((k, v) -> record.headers().add(new RecordHeader(k, v)));
    send(record);
  }

  /** Publishes raw bytes, e.g. a poison record. */
  public static void publishRaw(String topic, String key, byte[] value) {
    send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Reads a topic from the beginning until {@code enough} holds for what was read, or times out.
   */
  public static List<ConsumerRecord<String, byte[]>> read(
      String topic, Predicate<List<ConsumerRecord<String, byte[]>>> enough, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(consumerProps())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!enough.test(records) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(250)).forEach(records::add);
      }
    }
    return records;
  }

  /** The first event of the type on the topic that matches, or an AssertionError after timeout. */
  public static <T> EventEnvelope<T> awaitEvent(
      String topic, Class<T> type, Predicate<EventEnvelope<T>> match, Duration timeout) {
    List<EventEnvelope<T>> found = new ArrayList<>();
    read(
        topic,
        records -> {
          for (var record : records) {
            EventEnvelope<T> event = decodeOrNull(record, type);
            if (event != null && match.test(event)) {
              found.add(event);
              return true;
            }
          }
          return false;
        },
        timeout);
    if (found.isEmpty()) {
      throw new AssertionError("no matching " + type.getSimpleName() + " on " + topic);
    }
    return found.getFirst();
  }

  /** Decodes a record as an event of the type, or null when it is something else. */
  public static <T> EventEnvelope<T> decodeOrNull(
      ConsumerRecord<String, byte[]> record, Class<T> type) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), h.value());
    }
    try {
      return codec.decode(headers, record.value(), type);
    } catch (EventDecodingException e) {
      return null;
    }
  }

  private static KafkaProducer<String, byte[]> producer;

  private static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> props =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              TestInfrastructure.kafkaBootstrapServers(),
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
              StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
              ByteArraySerializer.class,
              ProducerConfig.LINGER_MS_CONFIG,
              0);
      producer = new KafkaProducer<>(props);
      TestInfrastructure.atExit(producer::close);
    }
    return producer;
  }

  private static void send(ProducerRecord<String, byte[]> record) {
    try {
      producer().send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not publish to " + record.topic(), e.getCause());
    }
  }

  private static Map<String, Object> consumerProps() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        TestInfrastructure.kafkaBootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG,
        "test-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class);
  }
}
