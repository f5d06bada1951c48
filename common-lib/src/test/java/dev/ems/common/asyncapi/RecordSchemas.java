package dev.ems.common.asyncapi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * JSON Schema (draft-07, the AsyncAPI schema format's base) of a common-lib record as EMS's Jackson
 * mapper writes it: every component present (null written as null), reference types nullable,
 * nested records inlined. Unknown types fail, so a new component type cannot slip through
 * undocumented.
 */
final class RecordSchemas {

  private RecordSchemas() {}

  static Map<String, Object> of(Class<?> record) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (RecordComponent component : record.getRecordComponents()) {
      properties.put(component.getName(), schema(component.getGenericType(), true));
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put(
        "required",
        Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList());
    schema.put("properties", properties);
    return schema;
  }

  private static Map<String, Object> schema(Type type, boolean nullable) {
    Map<String, Object> schema = new LinkedHashMap<>();
    if (type == int.class || type == long.class) {
      schema.put("type", "integer");
      return schema;
    }
    if (type == boolean.class) {
      schema.put("type", "boolean");
      return schema;
    }
    if (type == String.class) {
      schema.put("type", types("string", nullable));
    } else if (type == Integer.class || type == Long.class) {
      schema.put("type", types("integer", nullable));
    } else if (type == Boolean.class) {
      schema.put("type", types("boolean", nullable));
    } else if (type == UUID.class) {
      schema.put("type", types("string", nullable));
      schema.put("format", "uuid");
    } else if (type == Instant.class) {
      schema.put("type", types("string", nullable));
      schema.put("format", "date-time");
    } else if (type == Object.class) {
      return schema; // any JSON value
    } else if (type instanceof Class<?> c && c.isEnum()) {
      schema.put("type", types("string", nullable));
      List<Object> values =
          Arrays.stream(c.getEnumConstants()).map(e -> (Object) ((Enum<?>) e).name()).toList();
      schema.put("enum", nullable ? concat(values, null) : values);
    } else if (type instanceof Class<?> c && c.isRecord()) {
      schema.putAll(of(c));
      schema.put("type", types("object", nullable));
    } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      schema.put("type", types("array", nullable));
      schema.put("items", schema(p.getActualTypeArguments()[0], false));
    } else if (type instanceof ParameterizedType p
        && p.getRawType() == Map.class
        && p.getActualTypeArguments()[0] == String.class) {
      schema.put("type", types("object", nullable));
      Type value = p.getActualTypeArguments()[1];
      if (value != Object.class) {
        schema.put("additionalProperties", schema(value, false));
      }
    } else {
      throw new IllegalArgumentException("no JSON Schema mapping for " + type.getTypeName());
    }
    return schema;
  }

  private static Object types(String type, boolean nullable) {
    return nullable ? List.of(type, "null") : type;
  }

  private static List<Object> concat(List<Object> values, Object extra) {
    List<Object> all = new java.util.ArrayList<>(values);
    all.add(extra);
    return all;
  }
}
