package dev.ems.tw.catalogue;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** Body of {@code PUT /api/v1/features/{key}}: the whole definition. */
record FeatureRequest(
    @Size(max = 1000) String description,
    @NotNull Map<String, Object> parametersSchema,
    @Size(max = 50) Map<String, @NotNull @Size(max = 65536) String> templates,
    @Size(max = 50) List<@NotNull String> dependsOn,
    @Size(max = 50) List<@NotNull String> conflictsWith) {

  FeatureRequest {
    description = description == null ? "" : description;
    templates = templates == null ? Map.of() : templates;
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    conflictsWith = conflictsWith == null ? List.of() : List.copyOf(conflictsWith);
  }
}
