package dev.ems.platform.kafka;

import dev.ems.common.envelope.CloudEventCodec;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Lets every consumer resume the producer's trace. EMS events carry their trace context as the
 * CloudEvents distributed-tracing extension ({@code ce_traceparent}, {@code ce_tracestate}); Spring
 * Kafka's listener observation reads the W3C names ({@code traceparent}, {@code tracestate}). This
 * interceptor, set as the consumers' {@code interceptor.classes}, copies the one to the other when
 * a record is polled, before any listener or its observation sees it, so one place serves every
 * listener of every service.
 */
public class CloudEventTraceInterceptor implements ConsumerInterceptor<Object, Object> {

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    for (ConsumerRecord<Object, Object> record : records) {
      copy(record.headers(), CloudEventCodec.H_TRACEPARENT, "traceparent");
      copy(record.headers(), CloudEventCodec.H_TRACESTATE, "tracestate");
    }
    return records;
  }

  private static void copy(Headers headers, String from, String to) {
    Header source = headers.lastHeader(from);
    if (source != null && source.value() != null && headers.lastHeader(to) == null) {
      headers.add(to, source.value());
    }
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
