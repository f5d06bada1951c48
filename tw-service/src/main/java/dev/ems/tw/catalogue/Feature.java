package dev.ems.tw.catalogue;

import java.util.List;
import java.util.Map;

/**
 * A feature of the catalogue: its parameters' JSON Schema, a Jinja2 fragment per device model and
 * its rules against other features. {@code tenant} is {@code *} for a built-in feature.
 */
public record Feature(
    String tenant,
    String key,
    int version,
    String description,
    Map<String, Object> parametersSchema,
    Map<String, String> templates,
    List<String> dependsOn,
    List<String> conflictsWith) {

  public static final String BUILT_IN = "*";

  public boolean builtIn() {
    return BUILT_IN.equals(tenant);
  }
}
