package dev.ems.tw.catalogue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.JsonSchemas;
import dev.ems.platform.web.Problems.FieldError;
import dev.ems.tw.system.InvalidFieldsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Schema (2020-12) checks with networknt's validator: a feature's schema against the
 * meta-schema, and a device's parameters against the feature's schema. Errors carry the JSON path
 * of the offending value in the request ({@code params.rate}, {@code params.vlans[0].id}).
 */
@Component
public class FeatureSchemas {

  private final SchemaRegistry registry = JsonSchemas.offlineRegistry();
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
  private final JsonMapper json;

  FeatureSchemas(JsonMapper json) {
    this.json = json;
  }

  /** Errors of a parameter schema an operator wants to store, paths under {@code prefix}. */
  List<FieldError> checkSchema(Map<String, Object> schema, String prefix) {
    JsonNode node = json.valueToTree(schema);
    List<FieldError> errors =
        registry.getSchema(SchemaLocation.of(JsonSchemas.META_SCHEMA)).validate(node).stream()
            .map(e -> toFieldError(e, prefix))
            .toList();
    if (errors.isEmpty()) {
      try {
        registry.getSchema(node);
      } catch (RuntimeException e) {
        return List.of(new FieldError(prefix, "cannot be compiled: " + e.getMessage()));
      }
      if (!"object".equals(node.path("type").asString(""))) {
        return List.of(new FieldError(prefix + ".type", "must be \"object\""));
      }
    }
    return errors;
  }

  /** Throws {@code feature-params-invalid} listing every violation of the feature's schema. */
  public void validateParams(Feature feature, Map<String, Object> params) {
    String cacheKey = feature.tenant() + "/" + feature.key() + "/" + feature.version();
    Schema schema =
        compiled.computeIfAbsent(
            cacheKey,
            k -> registry.getSchema((JsonNode) json.valueToTree(feature.parametersSchema())));
    List<FieldError> errors =
        schema.validate((JsonNode) json.valueToTree(params)).stream()
            .map(e -> toFieldError(e, "params"))
            .sorted(java.util.Comparator.comparing(FieldError::field))
            .toList();
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException(
          ErrorCode.FEATURE_PARAMS_INVALID,
          "The parameters do not match the schema of feature "
              + feature.key()
              + " v"
              + feature.version(),
          errors);
    }
  }

  private static FieldError toFieldError(Error error, String prefix) {
    return new FieldError(JsonSchemas.fieldPath(error, prefix), error.getMessage());
  }
}
