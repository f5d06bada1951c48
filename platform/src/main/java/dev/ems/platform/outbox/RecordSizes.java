package dev.ems.platform.outbox;

import dev.ems.common.envelope.EncodedEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The size Kafka's producer gives a record when it checks it against {@code max.request.size} (the
 * same estimate, {@link AbstractRecords#estimateSizeInBytesUpperBound}), plus room for the trace
 * headers the relay adds when it sends the row.
 */
final class RecordSizes {

  /** {@code ce_traceparent} (55 bytes) and {@code ce_tracestate} (bounded here), names included. */
  static final int TRACE_RESERVE = 512;

  static final int DEFAULT_LIMIT = 1_048_576;

  private final long limit;

  RecordSizes(long limit) {
    this.limit = limit;
  }

  static RecordSizes of(Map<String, Object> producerConfig) {
    Object configured = producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    long limit =
        configured == null ? DEFAULT_LIMIT : Long.parseLong(String.valueOf(configured).trim());
    return new RecordSizes(limit);
  }

  long limit() {
    return limit;
  }

  long estimate(EncodedEvent event) {
    Header[] headers =
        event.headers().entrySet().stream()
            .map(e -> new RecordHeader(e.getKey(), e.getValue()))
            .toArray(Header[]::new);
    byte[] key = event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8);
    return AbstractRecords.estimateSizeInBytesUpperBound(
            RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, event.value(), headers)
        + TRACE_RESERVE;
  }

  void check(String topic, EncodedEvent event) {
    long bytes = estimate(event);
    if (bytes > limit) {
      throw new EventTooLargeException(topic, bytes, limit);
    }
  }
}
