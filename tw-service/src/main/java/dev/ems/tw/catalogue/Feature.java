package dev.ems.tw.catalogue;

import dev.ems.common.event.FeatureFragment;
import java.util.List;
import java.util.Map;

/**
 * A feature of the catalogue: its parameters' JSON Schema, what it renders per template set ({@code
 * fragments}, each naming its output file; {@code templates} is the older form of one bare fragment
 * per set, kept for older clients) and its rules against other features. {@code tenant} is {@code
 * *} for a built-in feature.
 */
public record Feature(
    String tenant,
    String key,
    int version,
    String description,
    Map<String, Object> parametersSchema,
    Map<String, String> templates,
    List<String> dependsOn,
    List<String> conflictsWith,
    Map<String, List<FeatureFragment>> fragments) {

  public static final String BUILT_IN = "*";

  public boolean builtIn() {
    return BUILT_IN.equals(tenant);
  }
}
