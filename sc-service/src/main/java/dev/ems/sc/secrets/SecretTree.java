package dev.ems.sc.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where secrets sit in a variables tree (plain Java, no Spring). An operator writes a secret as an
 * object with the single key {@code secret} and a text value, at any depth; it is stored as {@code
 * {"$secret": "v1:..."}} and shown as {@code {"secret": "******"}}. Writing the mask back keeps the
 * value stored at the same place, so an operator can PUT what a GET returned.
 */
final class SecretTree {

  static final String MASK = "******";
  static final String WRITTEN = "secret";
  static final String SEALED = "$secret";

  /** A written tree that cannot be stored; {@code field} names the place. */
  static final class Refused extends RuntimeException {
    private final String field;

    Refused(String field, String message) {
      super(message);
      this.field = field;
    }

    String field() {
      return field;
    }
  }

  private SecretTree() {}

  /** The stored form of what the operator wrote; {@code stored} is the current stored form. */
  static Map<String, Object> seal(
      Map<String, Object> written,
      Map<String, Object> stored,
      UnaryOperator<String> sealer,
      String field) {
    return asMap(walkSeal(written, stored, sealer, field));
  }

  /** The tree with each stored secret replaced by {@code replacement} of its sealed text. */
  static Map<String, Object> replace(
      Map<String, Object> stored, Function<String, Object> replacement) {
    return asMap(walkReplace(stored, replacement));
  }

  /** Calls {@code action} with the sealed text of each stored secret. */
  static void forEachSealed(Object stored, Consumer<String> action) {
    if (sealedText(stored) instanceof String cipherText) {
      action.accept(cipherText);
    } else if (stored instanceof Map<?, ?> map) {
      map.values().forEach(v -> forEachSealed(v, action));
    } else if (stored instanceof List<?> list) {
      list.forEach(v -> forEachSealed(v, action));
    }
  }

  private static Object walkSeal(
      Object written, Object stored, UnaryOperator<String> sealer, String field) {
    if (written instanceof Map<?, ?> map) {
      if (map.containsKey(SEALED)) {
        throw new Refused(
            field,
            "'"
                + SEALED
                + "' is EMS's stored form of a secret; write a"
                + " secret as {\"secret\": \"<value>\"}");
      }
      if (map.size() == 1 && map.containsKey(WRITTEN)) {
        return sealOne(map.get(WRITTEN), stored, sealer, field);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              out.put(
                  (String) k,
                  walkSeal(
                      v,
                      stored instanceof Map<?, ?> s ? s.get(k) : null,
                      sealer,
                      field + "." + k)));
      return out;
    }
    if (written instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        Object before = stored instanceof List<?> s && i < s.size() ? s.get(i) : null;
        out.add(walkSeal(list.get(i), before, sealer, field + "[" + i + "]"));
      }
      return out;
    }
    return written;
  }

  private static Object sealOne(
      Object value, Object stored, UnaryOperator<String> sealer, String field) {
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new Refused(field, "A secret is written as {\"secret\": \"<non-empty text>\"}");
    }
    if (text.equals(MASK)) {
      if (sealedText(stored) == null) {
        throw new Refused(
            field,
            "'" + MASK + "' stands for a stored secret and none is stored here: give the value");
      }
      return stored;
    }
    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put(SEALED, sealer.apply(text));
    return secret;
  }

  private static Object walkReplace(Object stored, Function<String, Object> replacement) {
    if (sealedText(stored) instanceof String cipherText) {
      return replacement.apply(cipherText);
    }
    if (stored instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, walkReplace(v, replacement)));
      return out;
    }
    if (stored instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(walkReplace(v, replacement)));
      return out;
    }
    return stored;
  }

  private static String sealedText(Object node) {
    return node instanceof Map<?, ?> map
            && map.size() == 1
            && map.get(SEALED) instanceof String cipherText
        ? cipherText
        : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object tree) {
    return (Map<String, Object>) tree;
  }
}
