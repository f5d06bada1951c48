package dev.ems.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An event exactly at Kafka's record limit is appended and delivered by the relay through the real
 * embedded broker; one byte more is refused at append, inside the writer's transaction, so nothing
 * commits that could never be delivered (issue 16).
 */
@SpringBootTest
class OutboxRecordLimitIT {

  @Autowired Outbox outbox;
  @Autowired CloudEventCodec codec;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;
  @Autowired KafkaTemplate<String, byte[]> kafka;

  @Test
  void anEventAtTheRecordLimitIsDeliveredAndOneByteMoreIsRefusedAtAppend() {
    RecordSizes sizes = RecordSizes.of(kafka.getProducerFactory().getConfigurationProperties());
    assertThat(sizes.limit()).isEqualTo(RecordSizes.DEFAULT_LIMIT);
    UUID device = UUID.randomUUID();
    EventEnvelope<DeviceCreated> atLimit = sized(sizes, device, sizes.limit());
    EventEnvelope<DeviceCreated> above = sized(sizes, device, sizes.limit() + 1);
    assertThat(sizes.estimate(codec.encode(atLimit))).isEqualTo(sizes.limit());
    assertThat(sizes.estimate(codec.encode(above))).isEqualTo(sizes.limit() + 1);

    long before = outboxRows();
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> outbox.append(Topics.SC_DEVICES, above)))
        .isInstanceOfSatisfying(
            EventTooLargeException.class,
            e -> {
              assertThat(e.bytes()).isEqualTo(sizes.limit() + 1);
              assertThat(e.limit()).isEqualTo(sizes.limit());
              assertThat(e.getMessage())
                  .contains("1048577 bytes, more than the record limit of 1048576 bytes");
            });
    assertThat(outboxRows()).isEqualTo(before);

    tx.executeWithoutResult(s -> outbox.append(Topics.SC_DEVICES, atLimit));
    var delivered =
        TestEvents.read(
            Topics.SC_DEVICES,
            records -> records.stream().anyMatch(r -> device.toString().equals(r.key())),
            Duration.ofSeconds(60));
    assertThat(delivered)
        .filteredOn(r -> device.toString().equals(r.key()))
        .singleElement()
        .satisfies(r -> assertThat(r.value()).hasSizeGreaterThan(1_000_000));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql("select count(*) from outbox_event where record_key = ?")
                            .param(device.toString())
                            .query(Integer.class)
                            .single())
                    .isZero());
  }

  /** A DeviceCreated whose record Kafka's producer estimates at exactly {@code target} bytes. */
  private EventEnvelope<DeviceCreated> sized(RecordSizes sizes, UUID device, long target) {
    int length = 1_000_000;
    for (int attempt = 0; attempt < 8; attempt++) {
      EventEnvelope<DeviceCreated> event = event(device, length);
      long size = sizes.estimate(codec.encode(event));
      if (size == target) {
        return event;
      }
      length += (int) (target - size);
    }
    throw new AssertionError("no name length gives a record of " + target + " bytes");
  }

  private static EventEnvelope<DeviceCreated> event(UUID device, int length) {
    return new EventEnvelope<>(
        "00000000-0000-0000-0000-000000000016",
        EventEnvelope.typeOf(DeviceCreated.class),
        "/t",
        Instant.parse("2026-01-01T00:00:00.123Z"),
        device.toString(),
        "default",
        new DeviceCreated(
            device, "SN-limit", "m", "x".repeat(length), Instant.parse("2026-01-01T00:00:00Z")));
  }

  private long outboxRows() {
    return jdbc.sql("select count(*) from outbox_event").query(Long.class).single();
  }
}
