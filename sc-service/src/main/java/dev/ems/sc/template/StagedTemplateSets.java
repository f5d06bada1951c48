package dev.ems.sc.template;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Template sets that a change set stages: checked as {@code PUT /api/v1/templates/{model}} checks
 * them (fields named under the operation's path), and stored when the change set applies.
 */
@Component
public class StagedTemplateSets {

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]{1,255}");

  private final TemplateStore store;
  private final TemplateEngine engine;
  private final VariablesSchemas schemas;
  private final Templates templates;

  StagedTemplateSets(
      TemplateStore store, TemplateEngine engine, VariablesSchemas schemas, Templates templates) {
    this.store = store;
    this.engine = engine;
    this.schemas = schemas;
    this.templates = templates;
  }

  /**
   * The staged set, as it would render once stored (revision: the current one's next), or a 422
   * naming {@code <prefix>.model}, {@code <prefix>.files.<path>} or {@code
   * <prefix>.variablesSchema}.
   */
  public TemplateSet check(
      String tenant,
      String model,
      Map<String, String> files,
      Map<String, Object> variablesSchema,
      String prefix) {
    if (model == null || !MODEL.matcher(model).matches()) {
      throw invalid(prefix + ".model", "Not a model name: " + model);
    }
    if (files == null || files.isEmpty() || files.size() > 50) {
      throw invalid(prefix + ".files", "A template set has 1 to 50 files");
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    for (var entry : files.entrySet()) {
      if (!PATH.matcher(entry.getKey()).matches() || entry.getKey().contains("..")) {
        throw invalid(
            prefix + ".files." + entry.getKey(),
            "Output paths are absolute file paths without '..'");
      }
      if (entry.getValue() == null || entry.getValue().length() > 256 * 1024) {
        throw invalid(
            prefix + ".files." + entry.getKey(), "A template is a string of at most 256 KiB");
      }
      sorted.put(entry.getKey(), entry.getValue());
    }
    try {
      engine.validate(new TemplateSet(model, sorted, 0));
    } catch (TemplateException e) {
      throw new EmsException(
          ErrorCode.TEMPLATE_INVALID, e.getMessage(), prefix + ".files." + e.file());
    }
    if (variablesSchema != null) {
      schemas.checkSchema(variablesSchema, prefix + ".variablesSchema");
    }
    int next = store.find(tenant, model).map(s -> s.revision() + 1).orElse(1);
    return new TemplateSet(model, sorted, variablesSchema, next);
  }

  /** The set that renders the model now (the tenant's, else the built-in one). */
  public TemplateSet current(String tenant, String model) {
    return templates.forModel(tenant, model);
  }

  /** Stores the staged set unless the tenant's set for the model already is this one. */
  public void store(String tenant, TemplateSet staged, String by) {
    var stored = store.find(tenant, staged.model());
    if (stored.isPresent()
        && stored.get().files().equals(staged.files())
        && Objects.equals(stored.get().variablesSchema(), staged.variablesSchema())) {
      return;
    }
    store.save(tenant, staged.model(), staged.files(), staged.variablesSchema(), by);
  }

  private static EmsException invalid(String field, String message) {
    return new EmsException(ErrorCode.VALIDATION_FAILED, message, field);
  }
}
