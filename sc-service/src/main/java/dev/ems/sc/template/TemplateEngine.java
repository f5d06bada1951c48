package dev.ems.sc.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import dev.ems.common.event.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Jinja2 (Jinjava) rendering in strict mode: a variable that is neither defined nor given a {@code
 * default} fails the render, naming the template set, the output file, the line and the variable.
 * Syntax errors are found when a template set is uploaded.
 *
 * <p>Jinjava's {@code renderForResult} copies its global context (every filter, function and tag)
 * for each template it renders, which cost more than the rendering itself. Here each thread borrows
 * such a copy from a pool, renders in a child context on top of it (template variables, macros and
 * {@code set} stay in the child) and clears what a render propagates upwards before returning it,
 * as Jinjava does with its own global context.
 */
@Component
public class TemplateEngine {

  private static final Pattern UNKNOWN = Pattern.compile("Unknown token found: ([\\w.\\[\\]'\"]+)");

  private final Engine strict = new Engine(true);
  private final Engine lenient = new Engine(false);

  /** Renders every file of the set; output files in path order. */
  public List<ConfigFile> render(TemplateSet set, Map<String, Object> context) {
    List<ConfigFile> files = new ArrayList<>();
    for (var entry : set.files().entrySet()) {
      RenderResult result = strict.render(entry.getValue(), context);
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
      RenderResult result = lenient.render(entry.getValue(), Map.of());
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

  /** One Jinjava configuration with its pool of global-context copies. */
  private static final class Engine {
    private final JinjavaConfig config;
    private final Jinjava jinjava;
    private final ConcurrentLinkedQueue<Context> bases = new ConcurrentLinkedQueue<>();

    Engine(boolean failOnUnknown) {
      config =
          JinjavaConfig.newBuilder()
              .withFailOnUnknownTokens(failOnUnknown)
              .withTrimBlocks(true)
              .withLstripBlocks(true)
              .withMaxOutputSize(4 * 1024 * 1024)
              .withMaxRenderDepth(10)
              .build();
      jinjava = new Jinjava(config);
    }

    RenderResult render(String template, Map<String, ?> bindings) {
      Context base = bases.poll();
      if (base == null) {
        base = jinjava.getGlobalContextCopy();
      }
      Context context = new Context(base, bindings, config.getDisabled());
      var interpreter = new JinjavaInterpreter(jinjava, context, config);
      try (var current = JinjavaInterpreter.closeablePushCurrent(interpreter).get()) {
        return new RenderResult(interpreter.render(template), context, interpreter.getErrorsCopy());
      } catch (TemplateSyntaxException e) {
        return failed(TemplateError.fromException(e), context, interpreter);
      } catch (InterpretException e) {
        return failed(TemplateError.fromSyntaxError(e), context, interpreter);
      } catch (InvalidArgumentException e) {
        return failed(TemplateError.fromInvalidArgumentException(e), context, interpreter);
      } catch (InvalidInputException e) {
        return failed(TemplateError.fromInvalidInputException(e), context, interpreter);
      } catch (RuntimeException e) {
        return failed(TemplateError.fromException(e), context, interpreter);
      } finally {
        base.reset();
        bases.offer(base);
      }
    }

    private static RenderResult failed(
        TemplateError error, Context context, JinjavaInterpreter interpreter) {
      return new RenderResult(error, context, interpreter.getErrorsCopy());
    }
  }
}
