package dev.ems.device.report;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Puts a device's report on Kafka and completes only when Kafka acknowledged it (acks=all,
 * idempotent producer): a report the device saw acknowledged is never lost. Kafka unavailable → 503
 * and the device retries.
 */
@Component
class ReportPublisher {

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaTemplate<String, byte[]> kafka;
  private final CloudEventCodec codec;

  ReportPublisher(KafkaTemplate<String, byte[]> kafka, CloudEventCodec codec) {
    this.kafka = kafka;
    this.codec = codec;
  }

  Mono<Void> publish(String topic, EventEnvelope<?> event) {
    var encoded = codec.encode(event);
    var record = new ProducerRecord<String, byte[]>(topic, encoded.key(), encoded.value());
    encoded.headers().forEach((k, v) -> record.headers().add(new RecordHeader(k, v)));
    return Mono.fromFuture(() -> kafka.send(record))
        .timeout(ACK_TIMEOUT)
        .onErrorMap(
            e ->
                new EmsException(
                    ErrorCode.SERVICE_UNAVAILABLE, "The report could not be stored; retry"))
        .then();
  }
}
