package dev.ems.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges the services' OpenAPI documents into the one committed at docs/api/openapi.yaml: each path
 * keeps the server (service and default port) that serves it, a path that several services serve
 * identically (platform's dead letters) lists them all, and a schema name two services use for
 * different shapes gets the later service's prefix. Tags ({@code sc/inventory}) keep the services
 * apart. Keys are sorted, so the same services give the same text.
 */
final class OpenApiMerge {

  /** One service's document and where it listens by default. */
  record ServiceDoc(String service, int defaultPort, ObjectNode doc) {}

  private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

  private OpenApiMerge() {}

  static ObjectNode merge(List<ServiceDoc> docs) {
    Map<String, ObjectNode> paths = new TreeMap<>();
    Map<String, JsonNode> schemas = new TreeMap<>();
    Map<String, JsonNode> schemes = new TreeMap<>();
    Map<String, JsonNode> responses = new TreeMap<>();
    ArrayNode servers = nodes.arrayNode();
    for (ServiceDoc doc : docs) {
      ObjectNode server = server(doc);
      servers.add(server);
      JsonNode components = doc.doc().path("components");
      renameClashingSchemas(doc, components.path("schemas"), schemas);
      components.path("schemas").properties().forEach(e -> schemas.put(e.getKey(), e.getValue()));
      components
          .path("responses")
          .properties()
          .forEach(e -> putSame(responses, e.getKey(), e.getValue(), doc.service()));
      components
          .path("securitySchemes")
          .properties()
          .forEach(e -> putSame(schemes, e.getKey(), e.getValue(), doc.service()));
      for (var path : doc.doc().path("paths").properties()) {
        ObjectNode item = (ObjectNode) path.getValue().deepCopy();
        ObjectNode known = paths.get(path.getKey());
        if (known == null) {
          item.set("servers", nodes.arrayNode().add(server));
          paths.put(path.getKey(), item);
        } else {
          ObjectNode withoutServers = known.deepCopy();
          withoutServers.remove("servers");
          if (!withoutServers.equals(item)) {
            throw new IllegalStateException(
                path.getKey() + " differs between services (" + doc.service() + ")");
          }
          ((ArrayNode) known.get("servers")).add(server);
        }
      }
    }
    ObjectNode merged = nodes.objectNode();
    merged.put("openapi", docs.getFirst().doc().path("openapi").asString());
    merged.set(
        "info",
        nodes
            .objectNode()
            .put("title", "EMS API")
            .put("version", "v1")
            .put(
                "description",
                "All five EMS services in one document, generated from the running services"
                    + " (springdoc). Each path names the service (server) that serves it; tags"
                    + " are <service package>/<feature>. Errors are RFC 9457 problems with a"
                    + " stable `code`."));
    merged.set("servers", servers);
    merged.set("tags", tags(paths));
    ObjectNode pathsNode = merged.putObject("paths");
    paths.forEach(pathsNode::set);
    ObjectNode components = merged.putObject("components");
    ObjectNode schemasNode = components.putObject("schemas");
    schemas.forEach(schemasNode::set);
    ObjectNode responsesNode = components.putObject("responses");
    responses.forEach(responsesNode::set);
    ObjectNode schemesNode = components.putObject("securitySchemes");
    schemes.forEach(schemesNode::set);
    return merged;
  }

  private static ObjectNode server(ServiceDoc doc) {
    return nodes
        .objectNode()
        .put("url", "http://localhost:" + doc.defaultPort())
        .put("description", doc.service());
  }

  /** A schema name taken by a different shape: this service's gets its prefix, refs follow. */
  private static void renameClashingSchemas(
      ServiceDoc doc, JsonNode own, Map<String, JsonNode> schemas) {
    Map<String, String> renames = new TreeMap<>();
    for (var schema : own.properties()) {
      JsonNode known = schemas.get(schema.getKey());
      if (known != null && !known.equals(schema.getValue())) {
        renames.put(schema.getKey(), prefix(doc.service()) + schema.getKey());
      }
    }
    if (renames.isEmpty()) {
      return;
    }
    ObjectNode ownSchemas = (ObjectNode) own;
    renames.forEach((from, to) -> ownSchemas.set(to, ownSchemas.remove(from)));
    rewriteRefs(doc.doc(), renames);
  }

  private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isString()) {
        String name = ref.asString().replaceFirst("^#/components/schemas/", "");
        if (renames.containsKey(name)) {
          object.put("$ref", "#/components/schemas/" + renames.get(name));
        }
      }
      object.values().forEach(child -> rewriteRefs(child, renames));
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> rewriteRefs(child, renames));
    }
  }

  private static String prefix(String service) {
    StringBuilder prefix = new StringBuilder();
    for (String part : service.replace("-service", "").split("-")) {
      prefix.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return prefix.toString();
  }

  private static ArrayNode tags(Map<String, ObjectNode> paths) {
    TreeSet<String> names = new TreeSet<>();
    for (ObjectNode item : paths.values()) {
      for (JsonNode operation : item) {
        operation.path("tags").forEach(tag -> names.add(tag.asString()));
      }
    }
    ArrayNode tags = nodes.arrayNode();
    for (String name : names) {
      tags.add(
          nodes
              .objectNode()
              .put("name", name)
              .put("description", "The " + name.replace("/", " service's ") + " feature"));
    }
    return tags;
  }

  private static void putSame(
      Map<String, JsonNode> into, String name, JsonNode value, String service) {
    JsonNode known = into.putIfAbsent(name, value);
    if (known != null && !known.equals(value)) {
      throw new IllegalStateException(name + " differs between services (" + service + ")");
    }
  }

  static List<String> operations(ObjectNode merged) {
    List<String> operations = new ArrayList<>();
    merged
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (!op.getKey().equals("servers") && !op.getKey().equals("parameters")) {
                            operations.add(op.getKey().toUpperCase() + " " + path.getKey());
                          }
                        }));
    return operations;
  }
}
