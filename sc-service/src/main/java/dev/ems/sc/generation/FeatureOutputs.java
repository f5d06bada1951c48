package dev.ems.sc.generation;

import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.common.event.FeatureFragment;
import dev.ems.sc.feature.FeatureDefinitions;
import dev.ems.sc.feature.FeatureDefinitions.Definition;
import dev.ems.sc.feature.UciSections;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.template.TemplateEngine;
import dev.ems.sc.template.TemplateException;
import dev.ems.sc.template.TemplateSet;
import dev.ems.sc.variables.VariableResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Renders the fragments of a device's enabled features for its template set and puts their output
 * into the bundle the set rendered: a FILE fragment is its file (replacing the set's file of that
 * path), a SECTIONS fragment's UCI sections are merged into the set's file ({@link UciSections}).
 * Features apply in key order, fragments in their order, so the same inputs give the same bytes.
 * Each fragment renders in the sandboxed engine with the device's variables, the feature's own
 * parameters on top of them and the reserved objects.
 */
@Component
class FeatureOutputs {

  /** An enabled feature and the definition of the version it runs. */
  record Enabled(String key, int version, Map<String, Object> params, Definition definition) {}

  private final FeatureDefinitions definitions;
  private final TemplateEngine engine;

  FeatureOutputs(FeatureDefinitions definitions, TemplateEngine engine) {
    this.definitions = definitions;
    this.engine = engine;
  }

  /**
   * The device's features with their definitions, in key order; throws {@link
   * ConfigRenderer.DefinitionMissing} for the first one SC has not received.
   */
  List<Enabled> enabled(String tenant, SortedMap<String, FeatureSetting> settings) {
    List<Enabled> enabled = new ArrayList<>();
    settings.forEach(
        (key, setting) -> {
          Definition definition =
              definitions
                  .find(tenant, key, setting.version())
                  .orElseThrow(
                      () -> new ConfigRenderer.DefinitionMissing(tenant, key, setting.version()));
          enabled.add(
              new Enabled(
                  key,
                  setting.version(),
                  setting.params() == null ? Map.of() : setting.params(),
                  definition));
        });
    return enabled;
  }

  /** The set's files with the features' output put in; throws RenderFailure naming the fragment. */
  List<ConfigFile> apply(
      TemplateSet set,
      List<ConfigFile> base,
      Map<String, Object> context,
      List<Enabled> features,
      List<String> secretValues) {
    if (features.stream().allMatch(f -> f.definition().fragmentsFor(set.model()).isEmpty())) {
      return base;
    }
    Map<String, String> files = new LinkedHashMap<>();
    base.forEach(f -> files.put(f.path(), f.content()));
    Map<String, String> ownedBy = new HashMap<>();
    for (Enabled feature : features) {
      List<FeatureFragment> fragments = feature.definition().fragmentsFor(set.model());
      if (fragments.isEmpty()) {
        continue;
      }
      Map<String, String> rendered = render(set, feature, fragments, context, secretValues);
      for (FeatureFragment fragment : fragments) {
        String output = rendered.get(fragment.name());
        String where = where(feature, fragment);
        if (fragment.path() == null || !fragment.path().startsWith("/")) {
          throw new ConfigRenderer.RenderFailure(
              where + ": the fragment names no output path", null);
        }
        if (fragment.mode() == FeatureFragment.Mode.FILE) {
          if (output.isBlank()) {
            continue;
          }
          String owner = ownedBy.putIfAbsent(fragment.path(), where);
          if (owner != null) {
            throw new ConfigRenderer.RenderFailure(
                where + ": " + fragment.path() + " is already the output of " + owner, null);
          }
          files.put(fragment.path(), output.endsWith("\n") ? output : output + "\n");
        } else if (!output.isBlank() || files.containsKey(fragment.path())) {
          try {
            files.put(
                fragment.path(),
                UciSections.merge(files.getOrDefault(fragment.path(), ""), output));
          } catch (IllegalArgumentException e) {
            throw new ConfigRenderer.RenderFailure(where + ", output " + e.getMessage(), null);
          }
        }
      }
    }
    return files.entrySet().stream().map(e -> new ConfigFile(e.getKey(), e.getValue())).toList();
  }

  private Map<String, String> render(
      TemplateSet set,
      Enabled feature,
      List<FeatureFragment> fragments,
      Map<String, Object> context,
      List<String> secretValues) {
    TreeMap<String, String> sources = new TreeMap<>();
    for (FeatureFragment fragment : fragments) {
      sources.put(fragment.name(), fragment.template() == null ? "" : fragment.template());
    }
    Map<String, Object> own = new LinkedHashMap<>(context);
    feature
        .params()
        .forEach(
            (name, value) -> {
              if (!VariableResolver.RESERVED.contains(name)) {
                own.put(name, value);
              }
            });
    TemplateSet fragmentSet =
        new TemplateSet(set.model() + "/" + feature.key(), sources, null, feature.version());
    try {
      Map<String, String> out = new HashMap<>();
      engine.render(fragmentSet, own).forEach(f -> out.put(f.path(), f.content()));
      return out;
    } catch (TemplateException e) {
      FeatureFragment fragment =
          fragments.stream()
              .filter(f -> f.name().equals(e.file()))
              .findFirst()
              .orElse(fragments.getFirst());
      throw new ConfigRenderer.RenderFailure(
          Secrets.redact(
              where(feature, fragment)
                  + (e.line() > 0 ? ", line " + e.line() : "")
                  + ": "
                  + e.reason(),
              secretValues),
          null);
    }
  }

  private static String where(Enabled feature, FeatureFragment fragment) {
    return "feature '"
        + feature.key()
        + "' version "
        + feature.version()
        + ", fragment '"
        + fragment.name()
        + "' ("
        + fragment.path()
        + ")";
  }
}
