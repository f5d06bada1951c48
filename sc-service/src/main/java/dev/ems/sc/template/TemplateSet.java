package dev.ems.sc.template;

import java.util.SortedMap;

/**
 * The templates for one device model: output path → Jinja2 source. {@code revision} 0 is the
 * built-in set shipped with EMS.
 */
public record TemplateSet(String model, SortedMap<String, String> files, int revision) {}
