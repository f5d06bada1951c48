package dev.ems.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * How EMS reads request bodies (operators' and devices'): unknown fields, strings from numbers or
 * booleans, booleans from numbers, integers from floats and text with control characters (NUL and
 * the other C0 controls but tab, line feed and carriage return — PostgreSQL refuses NUL, and no
 * name, serial or variable needs them) are all refused with the offending field, before anything is
 * stored or queued. Event payloads on Kafka are read leniently elsewhere (contracts evolve
 * additively).
 */
public final class StrictJson {

  private StrictJson() {}

  public static JsonMapper strict(JsonMapper base) {
    SimpleModule module = new SimpleModule("ems-strict-json");
    module.addDeserializer(String.class, new StrictStringDeserializer());
    module.addKeyDeserializer(String.class, new StrictKeyDeserializer());
    return base.rebuild()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .withCoercionConfig(
            LogicalType.Boolean,
            c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
        .withCoercionConfig(
            LogicalType.Textual,
            c ->
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .addModule(module)
        .build();
  }

  /** The operator API's message converter: {@link #strict} and the checks Jackson leaves out. */
  public static org.springframework.http.converter.json.JacksonJsonHttpMessageConverter converter(
      JsonMapper strict) {
    return new StrictJsonConverter(strict);
  }

  /** The JSON path of the value a binding error is about ({@code tunnels[0].bytesIn}). */
  public static String fieldPath(tools.jackson.databind.DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** The first control character that text must not hold, or -1. */
  static int forbiddenControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return c;
      }
    }
    return -1;
  }

  private static final class StrictStringDeserializer extends StdScalarDeserializer<String> {

    StrictStringDeserializer() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (String) ctxt.handleUnexpectedToken(String.class, p);
      }
      String text = p.getString();
      int control = forbiddenControl(text);
      if (control >= 0) {
        throw ctxt.weirdStringException(
            text, String.class, String.format("holds the control character U+%04X", control));
      }
      return text;
    }
  }

  private static final class StrictKeyDeserializer extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) {
      int control = forbiddenControl(key);
      if (control >= 0) {
        throw ctxt.weirdKeyException(
            String.class, key, String.format("holds the control character U+%04X", control));
      }
      return key;
    }
  }
}
