package dev.ems.sc.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.JsonSchemas;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schema (2020-12, networknt's validator, as tw-service checks feature parameters) a
 * template set declares for its variables: checked against the meta-schema on upload, and a config
 * request's variables checked against it before anything is stored or queued.
 */
@Component
class VariablesSchemas {

  // A request gives some of the variables; tenant, site, device and features give the others.
  private static final Set<String> ABOUT_ABSENT = Set.of("required", "dependentRequired");
  private static final int MAX_CACHED = 1_000;

  private final SchemaRegistry registry = JsonSchemas.offlineRegistry();
  private final Cache<String, Schema> compiled =
      Caffeine.newBuilder().maximumSize(MAX_CACHED).build();
  private final JsonMapper json;

  VariablesSchemas(JsonMapper json) {
    this.json = json;
  }

  /** The first error of a schema an operator wants to store, as a 422 naming {@code field}. */
  void checkSchema(Map<String, Object> schema, String field) {
    JsonNode node = json.valueToTree(schema);
    Optional<Error> error =
        registry.getSchema(SchemaLocation.of(JsonSchemas.META_SCHEMA)).validate(node).stream()
            .findFirst();
    if (error.isPresent()) {
      throw invalid(
          JsonSchemas.fieldPath(error.get(), field),
          "is not a JSON Schema: " + error.get().getMessage());
    }
    try {
      registry.getSchema(node);
    } catch (RuntimeException e) {
      throw invalid(field, "cannot be compiled: " + e.getMessage());
    }
    if (!"object".equals(node.path("type").asString(""))) {
      throw invalid(field + ".type", "must be \"object\"");
    }
  }

  /**
   * A 422 naming {@code variables.<name>} for the first variable that breaks the set's schema.
   * Secrets are checked as the template sees them, their clear text in place of the wrapper.
   */
  void validate(TemplateSet set, String tenant, Map<String, Object> variables) {
    if (set.variablesSchema() == null) {
      return;
    }
    Schema schema =
        compiled.get(
            tenant + "/" + set.model() + "/" + set.revision(),
            k -> registry.getSchema((JsonNode) json.valueToTree(set.variablesSchema())));
    schema.validate((JsonNode) json.valueToTree(unwrapSecrets(variables))).stream()
        .filter(e -> !ABOUT_ABSENT.contains(e.getKeyword()))
        .min(Comparator.comparing(e -> JsonSchemas.fieldPath(e, "variables")))
        .ifPresent(
            e -> {
              throw new EmsException(
                  ErrorCode.VALIDATION_FAILED,
                  "The variables do not match the schema of template set "
                      + set.model()
                      + ": "
                      + e.getMessage(),
                  JsonSchemas.fieldPath(e, "variables"));
            });
  }

  private static Object unwrapSecrets(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.get("secret") instanceof String clear) {
        return clear;
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, unwrapSecrets(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(VariablesSchemas::unwrapSecrets).toList();
    }
    return value;
  }

  private static EmsException invalid(String field, String message) {
    return new EmsException(ErrorCode.VALIDATION_FAILED, "The variables schema " + message, field);
  }
}
