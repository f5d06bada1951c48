package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A feature of the catalogue as tw-service holds it now (compacted topic {@link
 * Topics#TW_FEATURE_DEFINITIONS}, key = {@code <tenant>/<feature key>}; built-in features use the
 * tenant {@code *}). {@code deleted} marks a feature removed from the catalogue.
 *
 * <p>{@code fragments} maps a template set (its model name, e.g. {@code openwrt-default}) to what
 * the feature renders for devices of that set, each fragment naming its output file (see {@link
 * FeatureFragment}); null from older producers. {@code templates} (template set → one bare Jinja2
 * fragment without a target) is the older form: it is still carried, but names no output file, so
 * SC renders only {@code fragments}.
 *
 * <p>Since the feature set of a device names a version of each feature, tw-service publishes each
 * version under its own record key {@code <tenant>/<feature key>/<version>} so that compaction
 * keeps every version a device may still name; older producers used {@code <tenant>/<feature key>}.
 * A consumer takes key, version and tenant from the event, never from the record key.
 */
public record FeatureDefinitionChanged(
    String key,
    int version,
    String description,
    Map<String, Object> parametersSchema,
    Map<String, String> templates,
    List<String> dependsOn,
    List<String> conflictsWith,
    boolean deleted,
    Instant changedAt,
    Map<String, List<FeatureFragment>> fragments) {

  /** The form before fragments existed. */
  public FeatureDefinitionChanged(
      String key,
      int version,
      String description,
      Map<String, Object> parametersSchema,
      Map<String, String> templates,
      List<String> dependsOn,
      List<String> conflictsWith,
      boolean deleted,
      Instant changedAt) {
    this(
        key,
        version,
        description,
        parametersSchema,
        templates,
        dependsOn,
        conflictsWith,
        deleted,
        changedAt,
        null);
  }
}
