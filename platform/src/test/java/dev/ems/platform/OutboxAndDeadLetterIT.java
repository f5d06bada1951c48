package dev.ems.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.embedded.TestInfrastructure;
import dev.ems.platform.outbox.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@AutoConfigureMockMvc
class OutboxAndDeadLetterIT {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTestApplication.DeviceCreatedListener listener;
  @Autowired Outbox outbox;
  @Autowired TransactionTemplate tx;

  @Test
  void eventCommittedDuringAKafkaOutageIsDeliveredWhenKafkaIsBack() throws Exception {
    TestInfrastructure.kafka().stop();
    try {
      mvc.perform(
              post("/api/v1/widgets")
                  .header("Authorization", PlatformWebIT.ADMIN)
                  .contentType(MediaType.APPLICATION_JSON)
                  .content("{\"name\":\"during-outage\"}"))
          .andExpect(status().isOk());
      Thread.sleep(1500);
      assertThat(pendingOutboxRows()).isEqualTo(1);
      assertThat(listener.received).noneMatch(e -> e.name().equals("during-outage"));
    } finally {
      TestInfrastructure.kafka().start();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(listener.received).anyMatch(e -> e.name().equals("during-outage")));
    await().atMost(Duration.ofSeconds(10)).until(() -> pendingOutboxRows() == 0);
  }

  @Test
  void rolledBackTransactionPublishesNothing() {
    try {
      tx.executeWithoutResult(
          s -> {
            UUID id = UUID.randomUUID();
            outbox.append(
                Topics.SC_DEVICES,
                EventEnvelope.of(
                    "/t",
                    "default",
                    id.toString(),
                    new DeviceCreated(id, "rolled-back", "m", "rolled-back", Instant.now())));
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // the transaction rolled back
    }
    assertThat(pendingOutboxRows()).isZero();
  }

  @Test
  void unparseableAndFailingRecordsGoToTheDeadLetterTopicAndTheConsumerCarriesOn()
      throws Exception {
    TestEvents.publishRaw(Topics.SC_DEVICES, "poison", "not an event".getBytes());
    tx.executeWithoutResult(
        s -> {
          for (String name : List.of("always-fails", "after-poison")) {
            UUID id = UUID.randomUUID();
            outbox.append(
                Topics.SC_DEVICES,
                EventEnvelope.of(
                    "/t",
                    "default",
                    id.toString(),
                    new DeviceCreated(id, name, "m", name, Instant.now())));
          }
        });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(listener.received).anyMatch(e -> e.name().equals("after-poison")));
    List<ConsumerRecord<String, byte[]>> dead = readAll(Topics.deadLetter(Topics.SC_DEVICES), 2);
    assertThat(dead).extracting(ConsumerRecord::key).contains("poison");
    assertThat(dead)
        .anyMatch(r -> new String(r.value()).contains("always-fails"))
        .allMatch(r -> r.headers().lastHeader("kafka_dlt-exception-fqcn") != null);
    assertThat(listener.received).noneMatch(e -> e.name().equals("always-fails"));
  }

  /** The widget events waiting in the outbox (the write's audit record waits there too). */
  private int pendingOutboxRows() {
    return jdbc.sql("select count(*) from outbox_event where topic not like '%.audit.v1'")
        .query(Integer.class)
        .single();
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
    return TestEvents.read(topic, records -> records.size() >= atLeast, Duration.ofSeconds(30));
  }
}
