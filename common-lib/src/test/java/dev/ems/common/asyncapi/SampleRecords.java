package dev.ems.common.asyncapi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An instance of a record with a plausible value in every component, or null where it may be. */
final class SampleRecords {

  private SampleRecords() {}

  static Record of(Class<? extends Record> type, boolean nulls) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] =
          nulls && !types[i].isPrimitive() ? null : value(components[i].getGenericType(), nulls);
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object value(Type type, boolean nulls) {
    if (type == int.class || type == Integer.class) {
      return 3;
    } else if (type == long.class || type == Long.class) {
      return 4L;
    } else if (type == boolean.class) {
      return true;
    } else if (type == String.class) {
      return "text";
    } else if (type == UUID.class) {
      return UUID.randomUUID();
    } else if (type == Instant.class) {
      return Instant.parse("2026-01-02T03:04:05.123456Z");
    } else if (type == Object.class) {
      return Map.of("any", List.of(1, "two"));
    } else if (type instanceof Class<?> c && c.isEnum()) {
      return c.getEnumConstants()[0];
    } else if (type instanceof Class<?> c && c.isRecord()) {
      return of((Class<? extends Record>) c, nulls);
    } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return List.of(value(p.getActualTypeArguments()[0], nulls));
    } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
      return Map.of("key", value(p.getActualTypeArguments()[1], nulls));
    }
    throw new IllegalArgumentException("no sample for " + type.getTypeName());
  }
}
