package dev.ems.sc.template;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Template sets per device model, in Jinja2 syntax. A set with a syntax error is refused on upload
 * with the file and line; undefined variables can only be found at render time.
 */
@RestController
@RequestMapping("/api/v1/templates")
class TemplateController {

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]{1,255}");

  /** {@code variablesSchema}: an optional JSON Schema (2020-12) of type object for variables. */
  record TemplateSetRequest(
      @NotEmpty @Size(max = 50) Map<String, String> files, Map<String, Object> variablesSchema) {}

  private final TemplateStore store;
  private final TemplateEngine engine;
  private final BuiltInTemplates builtIn;
  private final VariablesSchemas schemas;

  TemplateController(
      TemplateStore store,
      TemplateEngine engine,
      BuiltInTemplates builtIn,
      VariablesSchemas schemas) {
    this.store = store;
    this.engine = engine;
    this.builtIn = builtIn;
    this.schemas = schemas;
  }

  @RequiresRole(Role.OPERATOR)
  @GetMapping
  List<TemplateSet> list(Caller caller) {
    return store.list(caller.tenant());
  }

  /** The built-in set, a starting point for operator sets. */
  @RequiresRole(Role.OPERATOR)
  @GetMapping("/_builtin")
  TemplateSet builtIn() {
    return builtIn.set();
  }

  @RequiresRole(Role.OPERATOR)
  @GetMapping("/{model}")
  TemplateSet get(@PathVariable String model, Caller caller) {
    return store
        .find(caller.tenant(), model)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.TEMPLATE_NOT_FOUND, model));
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping("/{model}")
  TemplateSet put(
      @PathVariable String model, @Valid @RequestBody TemplateSetRequest request, Caller caller) {
    if (!MODEL.matcher(model).matches()) {
      throw new EmsException(ErrorCode.INVALID_PARAMETER, "Not a model name: " + model, "model");
    }
    SortedMap<String, String> files = new TreeMap<>();
    for (var entry : request.files().entrySet()) {
      if (!PATH.matcher(entry.getKey()).matches() || entry.getKey().contains("..")) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED,
            "Output paths are absolute file paths without '..'",
            "files." + entry.getKey());
      }
      if (entry.getValue() == null || entry.getValue().length() > 256 * 1024) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED,
            "A template is a string of at most 256 KiB",
            "files." + entry.getKey());
      }
      files.put(entry.getKey(), entry.getValue());
    }
    try {
      engine.validate(new TemplateSet(model, files, 0));
    } catch (TemplateException e) {
      throw new EmsException(ErrorCode.TEMPLATE_INVALID, e.getMessage(), "files." + e.file());
    }
    if (request.variablesSchema() != null) {
      schemas.checkSchema(request.variablesSchema(), "variablesSchema");
    }
    return store.save(caller.tenant(), model, files, request.variablesSchema(), caller.keyName());
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping("/{model}")
  ResponseEntity<Void> delete(@PathVariable String model, Caller caller) {
    if (!store.delete(caller.tenant(), model)) {
      throw EmsException.notFound(ErrorCode.TEMPLATE_NOT_FOUND, model);
    }
    return ResponseEntity.noContent().build();
  }
}
