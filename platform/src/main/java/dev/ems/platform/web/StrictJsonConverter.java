package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies with {@link StrictJson}, then checks what Jackson hands over unchecked: the
 * keys of maps nested in free-form values ({@code variables}), which no key deserializer sees. A
 * key holding a control character is a 400 naming the map, like any other forbidden text.
 */
final class StrictJsonConverter extends JacksonJsonHttpMessageConverter {

  private static final int MAX_DEPTH = 1_000;

  StrictJsonConverter(JsonMapper strict) {
    super(strict);
  }

  @Override
  public Object read(ResolvableType type, HttpInputMessage input, Map<String, Object> hints)
      throws IOException {
    Object body = super.read(type, input, hints);
    String path = keyWithControl(body, "", 0);
    if (path != null) {
      throw new EmsException(
          ErrorCode.MALFORMED_REQUEST,
          "Field '" + path + "' has a key that holds a forbidden character",
          path);
    }
    return body;
  }

  /** The path of the first map whose key holds a control character, or null. */
  static String keyWithControl(Object value, String path, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        if (StrictJson.forbiddenControl(key) >= 0) {
          return path.isEmpty() ? "body" : path;
        }
        String found = keyWithControl(entry.getValue(), join(path, key), depth + 1);
        if (found != null) {
          return found;
        }
      }
    } else if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        String found = keyWithControl(item, path + "[" + i++ + "]", depth + 1);
        if (found != null) {
          return found;
        }
      }
    } else if (value instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        Object field;
        try {
          var accessor = component.getAccessor();
          accessor.setAccessible(true);
          field = accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue;
        }
        String found = keyWithControl(field, join(path, component.getName()), depth + 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
