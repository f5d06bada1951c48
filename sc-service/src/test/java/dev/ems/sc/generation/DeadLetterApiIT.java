package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.sc.ScApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record that is not an event goes to the dead-letter topic at once, where the dead-letter API
 * lists it (reason included), re-drives it to its topic once (a second re-drive is a conflict) or
 * discards it (hidden from the open ones).
 */
@SpringBootTest
@AutoConfigureMockMvc
class DeadLetterApiIT {

  private static final String DLT = Topics.deadLetter(Topics.SC_CONFIG_REQUESTS);

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired KafkaTemplate<String, byte[]> kafka;
  ScApi api;

  @BeforeEach
  void api() {
    api = new ScApi(mvc, json);
  }

  @Test
  void aPoisonRecordIsListedReDrivenOnceAndADiscardedOneIsHidden() throws Exception {
    String redriven = "poison-" + UUID.randomUUID();
    String discarded = "poison-" + UUID.randomUUID();
    poison(redriven);
    poison(discarded);

    JsonNode first = awaitOpen(redriven);
    assertThat(first.get("originalTopic").asString()).isEqualTo(Topics.SC_CONFIG_REQUESTS);
    assertThat(first.get("causeClass").asString()).contains("EventDecodingException");
    assertThat(first.get("payload").asString()).isEqualTo("not an event");
    String place = place(first);

    var redrive = api.post("/api/v1/dead-letters/" + place + "/redrive", null);
    assertThat(redrive.status()).as(redrive.text()).isEqualTo(200);
    assertThat(redrive.body().get("handled").asString()).isEqualTo("REDRIVEN");
    // back on its topic, with where it came from; still poison, so dead-lettered again
    var again =
        TestEvents.read(
            Topics.SC_CONFIG_REQUESTS,
            rs ->
                rs.stream()
                    .anyMatch(
                        r ->
                            r.headers().lastHeader("ems_redriven_from") != null
                                && redriven.equals(r.key())),
            Duration.ofSeconds(30));
    var back =
        again.stream()
            .filter(r -> redriven.equals(r.key()))
            .filter(r -> r.headers().lastHeader("ems_redriven_from") != null)
            .findFirst()
            .orElseThrow();
    assertThat(new String(back.headers().lastHeader("ems_redriven_from").value())).isEqualTo(place);
    assertThat(back.headers().lastHeader("kafka_dlt-exception-fqcn")).isNull();

    var twice = api.post("/api/v1/dead-letters/" + place + "/redrive", null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.body().get("code").asString()).isEqualTo("conflict");

    String discardPlace = place(awaitOpen(discarded));
    assertThat(api.post("/api/v1/dead-letters/" + discardPlace + "/discard", null).status())
        .isEqualTo(200);
    assertThat(keys(list("OPEN"))).doesNotContain(discarded);
    assertThat(keys(list("HANDLED"))).contains(discarded);
    assertThat(api.post("/api/v1/dead-letters/" + discardPlace + "/redrive", null).status())
        .isEqualTo(409);
  }

  @Test
  void aTopicThatIsNotOneOfTheServicesDeadLetterTopicsIsRefused() throws Exception {
    var unknown = api.get("/api/v1/dead-letters?topic=ems.nobody.v1.dlt");
    assertThat(unknown.status()).isEqualTo(404);
    var invalid = api.get("/api/v1/dead-letters?state=SOME");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.text()).contains("state");
    var missing = api.post("/api/v1/dead-letters/" + DLT + "/0/999999999/redrive", null);
    assertThat(missing.status()).isEqualTo(404);
  }

  /** A config request's type, but not a valid event (no id, source, time; body not JSON). */
  private void poison(String key) throws Exception {
    var record =
        new ProducerRecord<String, byte[]>(
            Topics.SC_CONFIG_REQUESTS, key, "not an event".getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(
            CloudEventCodec.H_TYPE,
            EventEnvelope.typeOf(ConfigRequested.class).getBytes(StandardCharsets.UTF_8));
    kafka.send(record).get(10, TimeUnit.SECONDS);
  }

  private JsonNode awaitOpen(String key) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              for (JsonNode item : list("OPEN")) {
                if (key.equals(item.get("key").asString())) {
                  found[0] = item;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private JsonNode list(String state) throws Exception {
    var page = api.get("/api/v1/dead-letters?topic=" + DLT + "&size=500&state=" + state);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    return page.body().get("items");
  }

  private static List<String> keys(JsonNode items) {
    List<String> keys = new ArrayList<>();
    items.forEach(i -> keys.add(i.get("key").asString()));
    return keys;
  }

  private static String place(JsonNode item) {
    return item.get("topic").asString()
        + "/"
        + item.get("partition").asInt()
        + "/"
        + item.get("offset").asLong();
  }
}
