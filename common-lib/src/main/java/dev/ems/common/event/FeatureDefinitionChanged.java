package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A feature of the catalogue as tw-service holds it now (compacted topic {@link
 * Topics#TW_FEATURE_DEFINITIONS}, key = {@code <tenant>/<feature key>}; built-in features use the
 * tenant {@code *}). {@code templates} maps a device model to its Jinja2 fragment; {@code deleted}
 * marks a feature removed from the catalogue.
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
    Instant changedAt) {}
