package dev.ems.sc.generation;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.ems.common.event.ConfigFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Renders a device's configuration files from Jinja2 templates (Jinjava) in strict mode: an
 * undefined variable or a syntax error fails the render with the file, line and variable.
 *
 * <p>Stub until the template management of the SC issue: one built-in template set ({@code
 * templates/default}) for every model.
 */
@Component
class TemplateRenderer {

  /** Output path → template of the built-in set. */
  private static final Map<String, String> DEFAULT_SET =
      Map.of("/etc/config/system", "templates/default/system.j2");

  private final Jinjava jinjava =
      new Jinjava(
          JinjavaConfig.newBuilder()
              .withFailOnUnknownTokens(true)
              .withTrimBlocks(true)
              .withLstripBlocks(true)
              .build());

  private final Map<String, String> templates = load();

  List<ConfigFile> render(Map<String, Object> context) {
    List<ConfigFile> files = new ArrayList<>();
    for (var entry : templates.entrySet()) {
      RenderResult result = jinjava.renderForResult(entry.getValue(), context);
      List<TemplateError> errors =
          result.getErrors().stream()
              .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
              .toList();
      if (!errors.isEmpty()) {
        TemplateError first = errors.getFirst();
        throw new RenderException(
            "template for "
                + entry.getKey()
                + ", line "
                + first.getLineno()
                + ": "
                + first.getMessage()
                + (first.getFieldName() == null ? "" : " (" + first.getFieldName() + ")"));
      }
      files.add(new ConfigFile(entry.getKey(), result.getOutput()));
    }
    return files;
  }

  private static Map<String, String> load() {
    Map<String, String> loaded = new java.util.TreeMap<>();
    DEFAULT_SET.forEach(
        (path, resource) -> {
          try {
            loaded.put(
                path, new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return loaded;
  }

  /** The templates could not be rendered with the given input; retrying will not help. */
  static class RenderException extends RuntimeException {
    RenderException(String message) {
      super(message);
    }
  }
}
