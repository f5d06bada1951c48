package dev.ems.sc.generation;

import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.ConfigFile;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.inventory.DeviceProfile;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.inventory.Site;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.system.ScProperties;
import dev.ems.sc.template.TemplateEngine;
import dev.ems.sc.template.TemplateSet;
import dev.ems.sc.template.Templates;
import dev.ems.sc.variables.DeviceFeatures;
import dev.ems.sc.variables.TenantVariables;
import dev.ems.sc.variables.VariableResolver;
import dev.ems.sc.variables.VariableResolver.Layer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resolves a device's variables and renders its template set, with the fragments of the device's
 * enabled features put in ({@link FeatureOutputs}), into a canonical bundle. When the variables
 * hold secrets the set is rendered twice: with the clear values for the device, and with each
 * secret the text {@code ******} for operators — so a template that transforms a secret (upper
 * case, base64, a slice) shows an operator the transformed mask, never the secret.
 */
@Component
class ConfigRenderer {

  /**
   * Tenant ids that stand in the management tunnel's swanctl identity ({@code remote id =
   * "O=<tenant>, CN=ems-mgmt"}: inside double quotes, one DN value) as they are: pki-service makes
   * a headend certificate for these only. SC's tenant ids always are; a bootstrap tenant configured
   * otherwise gets no {@code ems.tenant}, so a template that writes it fails to render, naming it,
   * rather than give a device an identity no headend can have.
   */
  static final java.util.regex.Pattern DN_SAFE_TENANT =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  static final String NOT_SHOWN =
      "# not shown: this file is rendered from secret variables, and rendering it with them masked"
          + " failed\n";

  /**
   * The rendered bundle and what produced it: {@code files} are what the device fetches ({@code
   * sha256} is theirs), {@code shownFiles} what operators see, {@code inputs} the variable layers
   * in their stored (sealed) form.
   */
  record Rendering(
      List<ConfigFile> files,
      List<ConfigFile> shownFiles,
      String sha256,
      Map<String, Object> inputs,
      int templateRevision) {

    boolean secretsRedacted() {
      return !files.equals(shownFiles);
    }
  }

  private final Devices devices;
  private final Templates templates;
  private final TemplateEngine engine;
  private final TenantVariables tenantVariables;
  private final DeviceFeatures features;
  private final JsonMapper json;
  private final ScProperties properties;
  private final Secrets secrets;
  private final FeatureOutputs featureOutputs;

  ConfigRenderer(
      Devices devices,
      Templates templates,
      TemplateEngine engine,
      TenantVariables tenantVariables,
      DeviceFeatures features,
      JsonMapper json,
      ScProperties properties,
      Secrets secrets,
      FeatureOutputs featureOutputs) {
    this.secrets = secrets;
    this.featureOutputs = featureOutputs;
    this.devices = devices;
    this.templates = templates;
    this.engine = engine;
    this.tenantVariables = tenantVariables;
    this.features = features;
    this.json = json;
    this.properties = properties;
  }

  /**
   * Renders the set and the fragments of the device's enabled features; a template that fails,
   * renders empty or too large throws {@link RenderFailure} with the reason, a feature version SC
   * has no definition of throws {@link DefinitionMissing}.
   */
  Rendering render(DeviceProfile device, Map<String, Object> input) {
    return render(device, input, RenderOverrides.NONE);
  }

  /**
   * As {@link #render(DeviceProfile, Map)}, with what a change set stages in place of the stored.
   */
  Rendering render(DeviceProfile device, Map<String, Object> input, RenderOverrides overrides) {
    Optional<Site> site = devices.siteOf(device);
    List<Layer> layers = new ArrayList<>();
    layers.add(new Layer("tenant", tenantVariables.get(device.tenant())));
    layers.add(
        new Layer(
            "site",
            overrides.siteVariables() != null
                ? overrides.siteVariables()
                : site.map(s -> variables(s.variablesJson())).orElse(Map.of())));
    layers.add(new Layer("device", variables(device.variablesJson())));
    layers.add(new Layer("request", input));
    var settings =
        overrides.features() != null ? overrides.features() : features.settingsOf(device.id());
    List<FeatureOutputs.Enabled> enabled = featureOutputs.enabled(device.tenant(), settings);
    Map<String, Map<String, Object>> featureParams = new LinkedHashMap<>();
    Map<String, Integer> featureVersions = new LinkedHashMap<>();
    enabled.forEach(
        f -> {
          featureParams.put(f.key(), f.params());
          featureVersions.put(f.key(), f.version());
        });
    Map<String, Object> reserved = reserved(device, site);
    TemplateSet set =
        overrides.templateSet() != null
            ? overrides.templateSet()
            : templates.forModel(device.tenant(), device.model());
    List<String> secretValues =
        secrets.clearValues(device.tenant(), layers.stream().map(Layer::variables).toList());
    List<Layer> clear =
        secretValues.isEmpty()
            ? layers
            : layers.stream()
                .map(l -> new Layer(l.name(), secrets.open(device.tenant(), l.variables())))
                .toList();
    List<ConfigFile> files =
        renderChecked(
            set, VariableResolver.resolve(clear, featureParams, reserved), enabled, secretValues);
    List<ConfigFile> shown =
        secretValues.isEmpty()
            ? files
            : shownCopy(set, layers, featureParams, reserved, enabled, files, secretValues);
    Map<String, Object> inputs = new LinkedHashMap<>();
    layers.forEach(l -> inputs.put(l.name(), l.variables()));
    inputs.put("features", featureParams);
    inputs.put("featureVersions", featureVersions);
    inputs.put("templateSet", set.model());
    return new Rendering(files, shown, ConfigBundles.sha256(files), inputs, set.revision());
  }

  private List<ConfigFile> renderChecked(
      TemplateSet set,
      Map<String, Object> context,
      List<FeatureOutputs.Enabled> enabled,
      List<String> secretValues) {
    List<ConfigFile> files;
    try {
      files =
          ConfigBundles.canonical(
              featureOutputs.apply(
                  set, engine.render(set, context), context, enabled, secretValues));
    } catch (dev.ems.sc.template.TemplateException e) {
      // an engine message may quote a value: the reason is shown to operators and stored
      throw new RenderFailure(Secrets.redact(e.getMessage(), secretValues), e.variable());
    }
    checkSize(files);
    files.forEach(ConfigRenderer::checkText);
    return files;
  }

  /**
   * The operators' copy: the set rendered with every secret masked. Should that render fail (a
   * template that branches on the value) nothing of the clear files is shown: replacing the secret
   * in them would show it transformed (reversed, split, hashed by a filter).
   */
  private List<ConfigFile> shownCopy(
      TemplateSet set,
      List<Layer> layers,
      Map<String, Map<String, Object>> featureParams,
      Map<String, Object> reserved,
      List<FeatureOutputs.Enabled> enabled,
      List<ConfigFile> files,
      List<String> secretValues) {
    List<Layer> masked =
        layers.stream().map(l -> new Layer(l.name(), Secrets.masked(l.variables()))).toList();
    try {
      Map<String, Object> context = VariableResolver.resolve(masked, featureParams, reserved);
      return ConfigBundles.canonical(
          featureOutputs.apply(set, engine.render(set, context), context, enabled, secretValues));
    } catch (RuntimeException e) {
      return files.stream().map(f -> new ConfigFile(f.path(), NOT_SHOWN)).toList();
    }
  }

  private Map<String, Object> reserved(DeviceProfile device, Optional<Site> site) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", device.id().toString());
    d.put("serial", device.serial());
    d.put("model", device.model());
    d.put("name", device.name());
    d.put("tags", device.tags());
    Map<String, Object> reserved = new LinkedHashMap<>();
    reserved.put("device", d);
    reserved.put(
        "site",
        site.<Map<String, Object>>map(s -> Map.of("id", s.id().toString(), "name", s.name()))
            .orElse(Map.of()));
    reserved.put("ems", ems(properties.emsEndpoint(), device.tenant()));
    return reserved;
  }

  /** The reserved {@code ems}: its endpoint and, where it can stand in a DN, the tenant. */
  static Map<String, Object> ems(String endpoint, String tenant) {
    Map<String, Object> ems = new LinkedHashMap<>();
    ems.put("endpoint", endpoint);
    if (DN_SAFE_TENANT.matcher(tenant).matches()) {
      ems.put("tenant", tenant);
    }
    return ems;
  }

  private void checkSize(List<ConfigFile> files) {
    long bytes = 0;
    for (ConfigFile file : files) {
      bytes += file.content().getBytes(StandardCharsets.UTF_8).length;
    }
    if (files.isEmpty() || files.stream().allMatch(f -> f.content().isBlank())) {
      throw new RenderFailure("the templates rendered an empty configuration", null);
    }
    if (bytes > properties.maxRenderedBytes()) {
      throw new RenderFailure(
          "the rendered configuration has "
              + bytes
              + " bytes, more than the limit of "
              + properties.maxRenderedBytes(),
          null);
    }
  }

  /**
   * A configuration file is text: a control character other than tab, line feed and carriage return
   * (NUL above all, which PostgreSQL text refuses) fails the render, naming the file.
   */
  private static void checkText(ConfigFile file) {
    String content = file.content();
    int line = 1;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c == '\n') {
        line++;
      } else if (c < 0x20 && c != '\t' && c != '\r') {
        throw new RenderFailure(
            String.format(
                "file %s, line %d: the rendered output holds the control character U+%04X;"
                    + " a configuration file is text",
                file.path(), line, (int) c),
            null);
      }
    }
  }

  private Map<String, Object> variables(String text) {
    return json.readValue(text, new TypeReference<Map<String, Object>>() {});
  }

  /**
   * A feature version the device's feature set names has no definition in SC yet: definitions and
   * feature sets travel on different topics, so it may still arrive. Not a {@link RenderFailure}:
   * the config request waits for it for a bounded time.
   */
  static class DefinitionMissing extends RuntimeException {
    private final String definition;

    DefinitionMissing(String tenant, String key, int version) {
      super(
          "feature '"
              + key
              + "' version "
              + version
              + " is enabled on the device, but SC has not received its definition");
      this.definition = tenant + "/" + key + "/" + version;
    }

    /** {@code <tenant>/<key>/<version>}. */
    String definition() {
      return definition;
    }

    EmsException toProblem() {
      return new EmsException(ErrorCode.SERVICE_UNAVAILABLE, getMessage(), null);
    }
  }

  /** The input cannot produce a configuration; retrying will not help. */
  static class RenderFailure extends RuntimeException {
    private final String variable;

    RenderFailure(String message, String variable) {
      super(message);
      this.variable = variable;
    }

    EmsException toProblem() {
      return new EmsException(
          ErrorCode.TEMPLATE_INVALID,
          getMessage(),
          variable == null ? null : "variables." + variable);
    }
  }
}
