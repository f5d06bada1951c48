package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestInfrastructure;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The event contract, checked on the real stream: after the two-tenant flow (every service busy),
 * every record on every EMS topic has a type that {@code docs/api/asyncapi.yaml} documents, its
 * headers and payload validate against the document's schemas (made strict: an undocumented field
 * fails), and the official CloudEvents Java SDK reads it as the same event (interoperability).
 */
class EventContractSuiteIT {

  private static final JsonMapper JSON = new JsonMapper();

  @BeforeAll
  static void produceEvents() throws Exception {
    TwoTenants.create(RunningSuite.get());
  }

  @Test
  void everyRecordMatchesTheAsyncApiDocumentAndReadsWithTheCloudEventsSdk() throws Exception {
    JsonNode document =
        YAMLMapper.builder()
            .build()
            .readTree(Path.of("..", "docs", "api", "asyncapi.yaml").toFile());
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_7, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
    Map<String, Schema> payloads = new HashMap<>();
    document
        .at("/components/messages")
        .properties()
        .forEach(
            m -> {
              String type = m.getValue().at("/headers/allOf/1/properties/ce_type/const").asString();
              String schema = m.getValue().at("/payload/$ref").asString();
              JsonNode payload =
                  document.at(
                      "/components/schemas/" + schema.substring(schema.lastIndexOf('/') + 1));
              payloads.put(type, registry.getSchema(strict(payload.deepCopy())));
            });
    Schema headers =
        registry.getSchema(document.at("/components/schemas/CloudEventHeaders").deepCopy());

    Map<String, Integer> seen = new TreeMap<>();
    SoftAssertions softly = new SoftAssertions();
    for (ConsumerRecord<String, byte[]> record : readAll()) {
      Map<String, String> h = headers(record);
      String type = h.get(CloudEventCodec.H_TYPE);
      if (type == null) {
        continue; // not an event (a test's poison record)
      }
      seen.merge(type, 1, Integer::sum);
      Schema payload = payloads.get(type);
      softly.assertThat(payload).as("%s on %s is documented", type, record.topic()).isNotNull();
      if (payload == null) {
        continue;
      }
      softly
          .assertThat(payload.validate(JSON.readTree(record.value())))
          .as("%s payload %s", type, new String(record.value(), StandardCharsets.UTF_8))
          .isEmpty();
      softly
          .assertThat(headers.validate((JsonNode) JSON.valueToTree(h)))
          .as("%s headers %s", type, h)
          .isEmpty();

      CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
      softly.assertThat(event.getId()).isEqualTo(h.get(CloudEventCodec.H_ID));
      softly.assertThat(event.getType()).isEqualTo(type);
      softly.assertThat(event.getSource().toString()).isEqualTo(h.get(CloudEventCodec.H_SOURCE));
      softly.assertThat(event.getSubject()).isEqualTo(record.key());
      softly.assertThat(event.getTime()).isNotNull();
      softly.assertThat(event.getDataContentType()).isEqualTo("application/json");
      softly.assertThat(event.getExtension("tenant")).isEqualTo(h.get(CloudEventCodec.H_TENANT));
      softly.assertThat(event.getData().toBytes()).isEqualTo(record.value());
    }
    System.out.println("[event-contract] records by type: " + seen);
    softly.assertAll();
    assertThat(seen)
        .containsKeys(
            "dev.ems.TenantChanged",
            "dev.ems.ApiKeyIssued",
            "dev.ems.DeviceCreated",
            "dev.ems.ConfigRequested",
            "dev.ems.ConfigPublished",
            "dev.ems.ConfigStatusReported",
            "dev.ems.CertificateIssued",
            "dev.ems.DeviceFeaturesChanged",
            "dev.ems.FeatureDefinitionChanged",
            "dev.ems.DeviceCommandRequested");
  }

  /** Every record on every EMS topic, from the beginning, until the topics stay quiet. */
  private static List<ConsumerRecord<String, byte[]>> readAll() {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestInfrastructure.kafkaBootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "event-contract-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
      consumer.subscribe(Topics.ALL.stream().map(Topics.TopicDefinition::name).toList());
      long quietSince = System.nanoTime();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline
          && (records.isEmpty()
              || System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos())) {
        var batch = consumer.poll(Duration.ofMillis(500));
        if (!batch.isEmpty()) {
          batch.forEach(records::add);
          quietSince = System.nanoTime();
        }
      }
    }
    return records;
  }

  private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  /** Objects that list their properties refuse others (the published schemas allow them). */
  private static JsonNode strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties") && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      object.properties().forEach(e -> strict(e.getValue()));
    } else if (node.isArray()) {
      node.forEach(EventContractSuiteIT::strict);
    }
    return node;
  }
}
