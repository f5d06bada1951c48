package dev.ems.sc.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.ems.common.event.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Jinja2 (Jinjava) rendering in strict mode: a variable that is neither defined nor given a {@code
 * default} fails the render, naming the template set, the output file, the line and the variable.
 * Syntax errors are found when a template set is uploaded.
 */
@Component
public class TemplateEngine {

  private static final Pattern UNKNOWN = Pattern.compile("Unknown token found: ([\\w.\\[\\]'\"]+)");

  private final Jinjava strict = jinjava(true);
  private final Jinjava lenient = jinjava(false);

  /** Renders every file of the set; output files in path order. */
  public List<ConfigFile> render(TemplateSet set, Map<String, Object> context) {
    List<ConfigFile> files = new ArrayList<>();
    for (var entry : set.files().entrySet()) {
      RenderResult result = strict.renderForResult(entry.getValue(), context);
      fatal(result)
          .ifPresent(
              error -> {
                throw failure(set, entry.getKey(), error);
              });
      files.add(new ConfigFile(entry.getKey(), result.getOutput()));
    }
    return files;
  }

  /** Finds syntax errors without any variables; throws for the first one. */
  public void validate(TemplateSet set) {
    for (var entry : set.files().entrySet()) {
      RenderResult result = lenient.renderForResult(entry.getValue(), Map.of());
      fatal(result)
          .ifPresent(
              error -> {
                throw failure(set, entry.getKey(), error);
              });
    }
  }

  private static java.util.Optional<TemplateError> fatal(RenderResult result) {
    return result.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
        .findFirst();
  }

  private static TemplateException failure(TemplateSet set, String file, TemplateError error) {
    String variable = null;
    Matcher m = UNKNOWN.matcher(String.valueOf(error.getMessage()));
    if (m.find()) {
      variable = m.group(1);
    }
    String message =
        variable != null
            ? "undefined variable '" + variable + "'"
            : String.valueOf(error.getMessage()).replaceAll("\\s+", " ");
    return new TemplateException(set.model(), file, error.getLineno(), variable, message);
  }

  private static Jinjava jinjava(boolean failOnUnknown) {
    return new Jinjava(
        JinjavaConfig.newBuilder()
            .withFailOnUnknownTokens(failOnUnknown)
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withMaxOutputSize(4 * 1024 * 1024)
            .withMaxRenderDepth(10)
            .build());
  }
}
