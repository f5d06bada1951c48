package dev.ems.sc.template;

import java.util.Map;
import java.util.SortedMap;

/**
 * The templates for one device model: output path → Jinja2 source, and optionally the JSON Schema a
 * config request's variables must match. {@code revision} 0 is the built-in set shipped with EMS.
 */
public record TemplateSet(
    String model,
    SortedMap<String, String> files,
    Map<String, Object> variablesSchema,
    int revision) {

  TemplateSet(String model, SortedMap<String, String> files, int revision) {
    this(model, files, null, revision);
  }

  /** Whether a template derives OpenWrt's time zone options with {@code uci_timezone}. */
  boolean derivesTimezone() {
    return files.values().stream().anyMatch(t -> t.contains(UciTimezoneFilter.NAME));
  }
}
