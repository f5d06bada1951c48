package dev.ems.common.asyncapi;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The document's payload schemas, made strict for tests: every object that lists its properties
 * refuses others, so a field the schema does not know fails (the published schemas allow them:
 * contracts grow additively).
 */
final class StrictSchemas {

  private static final JsonMapper JSON = new JsonMapper();
  private final JsonNode schemas;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_7, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));

  StrictSchemas(Map<String, Object> document) {
    JsonNode doc = JSON.valueToTree(document);
    this.schemas = doc.at("/components/schemas");
  }

  List<String> errors(String name, byte[] json) {
    JsonNode schema = schemas.get(name);
    if (schema == null) {
      return List.of("no schema " + name);
    }
    JsonNode strict = strict(schema.deepCopy());
    return registry.getSchema(strict).validate(JSON.readTree(json)).stream()
        .map(Error::toString)
        .toList();
  }

  private static JsonNode strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties") && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      object.properties().forEach(e -> strict(e.getValue()));
    } else if (node.isArray()) {
      node.forEach(StrictSchemas::strict);
    }
    return node;
  }
}
