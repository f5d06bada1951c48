package dev.ems.tw.catalogue;

import dev.ems.common.event.FeatureFragment;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /api/v1/features/{key}}: the whole definition. {@code fragments}: template set
 * → what the feature renders for it (see {@link FeatureFragment}); {@code templates} is the older
 * form without output files, which SC does not render.
 */
record FeatureRequest(
    @Size(max = 1000) String description,
    @NotNull Map<String, Object> parametersSchema,
    @Size(max = 50) Map<String, @NotNull @Size(max = 65536) String> templates,
    @Size(max = 50) List<@NotNull String> dependsOn,
    @Size(max = 50) List<@NotNull String> conflictsWith,
    @Size(max = 50)
        Map<String, @NotNull @Size(max = 20) List<@NotNull FeatureFragment>> fragments) {

  FeatureRequest {
    description = description == null ? "" : description;
    templates = templates == null ? Map.of() : templates;
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    conflictsWith = conflictsWith == null ? List.of() : List.copyOf(conflictsWith);
    fragments = fragments == null ? Map.of() : fragments;
  }
}
