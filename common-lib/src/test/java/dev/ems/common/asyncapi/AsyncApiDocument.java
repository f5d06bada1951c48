package dev.ems.common.asyncapi;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.EventTypes;
import dev.ems.common.event.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code docs/api/asyncapi.yaml} (AsyncAPI 3.0) from {@link Topics} and {@link EventTypes}:
 * one channel per topic (address, compaction, key), one message per event type (CloudEvents
 * binary-mode headers, the record's JSON Schema), one send operation per channel.
 */
final class AsyncApiDocument {

  static final String CONFIG_REQUESTED = "ConfigRequested";

  private AsyncApiDocument() {}

  static Map<String, Object> build() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("asyncapi", "3.0.0");
    doc.put(
        "info",
        map(
            "title", "EMS event stream",
            "version", "1.0.0",
            "description", AsyncApiTexts.DESCRIPTION));
    doc.put(
        "servers",
        map(
            "kafka",
            map(
                "host",
                "localhost:9092",
                "protocol",
                "kafka",
                "description",
                "The suite's broker (EMS_KAFKA_BOOTSTRAP; ./ems up: localhost:19092).")));
    Map<String, Object> channels = new LinkedHashMap<>();
    Map<String, Object> operations = new LinkedHashMap<>();
    Map<String, Object> messages = new LinkedHashMap<>();
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put("CloudEventHeaders", AsyncApiTexts.cloudEventHeaders());
    for (Topics.TopicDefinition topic : Topics.ALL) {
      String id = channelId(topic.name());
      Map<String, Object> channelMessages = new LinkedHashMap<>();
      List<Map<String, Object>> operationMessages = new java.util.ArrayList<>();
      for (String type : typesOn(topic.name())) {
        channelMessages.put(type, ref("#/components/messages/" + type));
        operationMessages.add(ref("#/channels/" + id + "/messages/" + type));
      }
      Map<String, Object> kafka = new LinkedHashMap<>();
      kafka.put("topic", topic.name());
      kafka.put(
          "topicConfiguration",
          map("cleanup.policy", List.of(topic.compacted() ? "compact" : "delete")));
      kafka.put("bindingVersion", "0.5.0");
      Map<String, Object> channel = new LinkedHashMap<>();
      channel.put("address", topic.name());
      channel.put("title", topic.name());
      channel.put("description", AsyncApiTexts.channel(topic));
      channel.put("messages", channelMessages);
      channel.put("bindings", map("kafka", kafka));
      channels.put(id, channel);
      operations.put(
          "send" + Character.toUpperCase(id.charAt(0)) + id.substring(1),
          map(
              "action",
              "send",
              "title",
              AsyncApiTexts.producer(topic.name()) + " writes " + topic.name(),
              "channel",
              ref("#/channels/" + id),
              "messages",
              operationMessages));
    }
    for (EventTypes.EventType type : EventTypes.ALL) {
      String name = type.payload().getSimpleName();
      schemas.put(name, RecordSchemas.of(type.payload()));
      messages.put(name, message(name, EventEnvelope.typeOf(type.payload()), type.topic()));
    }
    schemas.put(CONFIG_REQUESTED, AsyncApiTexts.configRequested());
    messages.put(
        CONFIG_REQUESTED,
        message(CONFIG_REQUESTED, "dev.ems." + CONFIG_REQUESTED, Topics.SC_CONFIG_REQUESTS));
    doc.put("channels", channels);
    doc.put("operations", operations);
    doc.put("components", map("schemas", schemas, "messages", messages));
    return doc;
  }

  /** The event types a topic carries, in catalogue order. */
  static List<String> typesOn(String topic) {
    List<String> types = new java.util.ArrayList<>();
    if (topic.equals(Topics.SC_CONFIG_REQUESTS)) {
      types.add(CONFIG_REQUESTED);
    }
    EventTypes.ALL.stream()
        .filter(t -> t.topic().equals(topic))
        .forEach(t -> types.add(t.payload().getSimpleName()));
    return types;
  }

  private static Map<String, Object> message(String name, String ceType, String topic) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put(
        "allOf",
        List.of(
            ref("#/components/schemas/CloudEventHeaders"),
            map(
                "type",
                "object",
                "properties",
                map(CloudEventCodec.H_TYPE, map("type", "string", "const", ceType)))));
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("name", name);
    message.put("title", name);
    message.put("summary", AsyncApiTexts.summary(name));
    message.put("contentType", CloudEventCodec.JSON);
    message.put("headers", headers);
    message.put("payload", ref("#/components/schemas/" + name));
    message.put(
        "bindings",
        map(
            "kafka",
            map(
                "key",
                map("type", "string", "description", AsyncApiTexts.key(topic)),
                "bindingVersion",
                "0.5.0")));
    return message;
  }

  /** {@code ems.sc.config-requests.v1} → {@code scConfigRequests}. */
  static String channelId(String topic) {
    String[] parts =
        topic.substring("ems.".length(), topic.length() - ".v1".length()).split("[.-]");
    StringBuilder id = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      id.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return id.toString();
  }

  static Map<String, Object> ref(String pointer) {
    return map("$ref", pointer);
  }

  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
