package dev.ems.tw.catalogue;

import dev.ems.common.event.FeatureFragment;
import java.util.List;
import java.util.Map;

/** A feature as the API shows it. */
record FeatureResponse(
    String key,
    int version,
    String description,
    Map<String, Object> parametersSchema,
    Map<String, String> templates,
    List<String> dependsOn,
    List<String> conflictsWith,
    boolean builtIn,
    Map<String, List<FeatureFragment>> fragments) {

  static FeatureResponse of(Feature f) {
    return new FeatureResponse(
        f.key(),
        f.version(),
        f.description(),
        f.parametersSchema(),
        f.templates(),
        f.dependsOn(),
        f.conflictsWith(),
        f.builtIn(),
        f.fragments());
  }
}
