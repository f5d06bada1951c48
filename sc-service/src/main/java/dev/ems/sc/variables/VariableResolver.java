package dev.ems.sc.variables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one documented precedence of template variables, lowest first: tenant defaults &lt; site &lt;
 * device &lt; request input &lt; feature parameters. A later layer replaces a variable of the same
 * name whole (no deep merge). Feature parameters are applied feature by feature in key order, and
 * every feature's parameters are also reachable as {@code features.<key>.<param>}. The names in
 * {@link #RESERVED} are set by EMS ({@code device}, {@code site}, {@code ems}, {@code features})
 * and cannot be overridden.
 */
public final class VariableResolver {

  public static final Set<String> RESERVED = Set.of("device", "site", "ems", "features");

  /** One layer of variables, named for error messages and the stored inputs. */
  public record Layer(String name, Map<String, Object> variables) {}

  private VariableResolver() {}

  /**
   * Merges the layers (lowest precedence first) and the feature parameters, then adds the reserved
   * objects.
   */
  public static Map<String, Object> resolve(
      List<Layer> layers, Map<String, Map<String, Object>> features, Map<String, Object> reserved) {
    Map<String, Object> context = new LinkedHashMap<>();
    for (Layer layer : layers) {
      putAllowed(context, layer.variables());
    }
    Map<String, Object> byFeature = new TreeMap<>();
    new TreeMap<>(features)
        .forEach(
            (key, params) -> {
              putAllowed(context, params);
              byFeature.put(key, params);
            });
    context.putAll(reserved);
    context.put("features", byFeature);
    return context;
  }

  private static void putAllowed(Map<String, Object> context, Map<String, Object> variables) {
    variables.forEach(
        (name, value) -> {
          if (!RESERVED.contains(name)) {
            context.put(name, value);
          }
        });
  }
}
