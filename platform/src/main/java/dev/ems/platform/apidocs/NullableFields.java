package dev.ems.platform.apidocs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services write a record's absent field as {@code null} (Jackson's default), and a record
 * declares no nullability; so every property a schema does not require may be {@code null} (OpenAPI
 * 3.1: {@code type: [string, "null"]}, a reference as {@code anyOf} with {@code null}).
 */
final class NullableFields {

  private NullableFields() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static void apply(Components components) {
    if (components.getSchemas() == null) {
      return;
    }
    for (Schema<?> schema : components.getSchemas().values()) {
      Map<String, Schema> properties = schema.getProperties();
      if (properties == null
          || schema.getName() != null && schema.getName().startsWith("Problem")) {
        continue;
      }
      List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
      for (var property : properties.entrySet()) {
        if (required.contains(property.getKey())) {
          continue;
        }
        Schema value = property.getValue();
        if (value.get$ref() != null) {
          property.setValue(
              new JsonSchema().anyOf(List.of(new JsonSchema().$ref(value.get$ref()), nullType())));
        } else if (value.getTypes() != null && !value.getTypes().contains("null")) {
          Set<String> types = new HashSet<>(value.getTypes());
          types.add("null");
          value.setTypes(types);
        }
      }
    }
  }

  private static Schema<?> nullType() {
    var schema = new JsonSchema();
    schema.setTypes(Set.of("null"));
    return schema;
  }
}
