package dev.ems.platform.kafka;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventEnvelope;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes Kafka records into EMS events for listeners. A record that is not a valid event throws
 * {@link dev.ems.common.envelope.EventDecodingException}, which the error handler sends straight to
 * the dead-letter topic.
 */
public class EventReader {

  private final CloudEventCodec codec;

  public EventReader(CloudEventCodec codec) {
    this.codec = codec;
  }

  /** Whether the record is an event of this payload type (topics can carry several types). */
  public boolean is(ConsumerRecord<String, byte[]> record, Class<?> payloadType) {
    return EventEnvelope.typeOf(payloadType).equals(codec.typeOf(headers(record)));
  }

  public <T> EventEnvelope<T> decode(ConsumerRecord<String, byte[]> record, Class<T> payloadType) {
    return codec.decode(headers(record), record.value(), payloadType);
  }

  /** The event type of the record, or null when it has no {@code ce_type}. */
  public String type(ConsumerRecord<String, byte[]> record) {
    return codec.typeOf(headers(record));
  }

  private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    return headers;
  }
}
