package dev.ems.sc.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.tree.Node;
import dev.ems.common.event.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Jinja2 (Jinjava) rendering in strict mode: a variable that is neither defined nor given a {@code
 * default} fails the render, naming the template set, the output file, the line and the variable.
 * Syntax errors are found when a template set is uploaded, by parsing it without running it.
 *
 * <p>Templates and variables are hostile input, so rendering is sandboxed: a template reaches only
 * the files of its own set ({@link RenderSandbox#RESOURCES}), variable values are data and never
 * rendered as templates (no nested interpretation, no {@code render} filter), no Java method of a
 * value can be called ({@link JavaFreeResolver}), and a render is bounded in output size, loop
 * iterations ({@link BudgetedForTag}), steps and time ({@link Limits}).
 *
 * <p>Jinjava's {@code renderForResult} copies its global context (every filter, function and tag)
 * for each template it renders, which cost more than the rendering itself. Here each thread borrows
 * such a copy from a pool, renders in a child context on top of it (template variables, macros and
 * {@code set} stay in the child) and clears what a render propagates upwards before returning it,
 * as Jinjava does with its own global context.
 *
 * <p>Parsing a template cost about as much again on every render. A template's parse tree depends
 * only on its text and this engine's configuration, and Jinjava renders a tree without changing it
 * (its maintainers' advice for reuse: cache {@code parse}, call {@code render(Node)},
 * HubSpot/jinjava#1073), so trees are kept in a bounded Caffeine cache keyed by the text; a text
 * whose parse reported any error is never cached, so its errors are found on every render.
 */
@Component
public class TemplateEngine {

  /** What one render of a template set may spend. */
  record Limits(int maxLoopIterations, int maxSteps, long maxMillis) {
    static final Limits DEFAULT = new Limits(100_000, 1_000_000, 2_000);
  }

  static final int MAX_OUTPUT = 4 * 1024 * 1024;

  private static final Pattern UNKNOWN = Pattern.compile("Unknown token found: ([\\w.\\[\\]'\"]+)");
  private static final Set<String> REFERENCING_TAGS =
      Set.of("include", "import", "from", "extends");

  private static final UciExpressionStrategy UCI_VALUES = new UciExpressionStrategy();

  private final Limits limits;
  private final JinjavaConfig config;
  private final Jinjava jinjava;
  private final ConcurrentLinkedQueue<Context> bases = new ConcurrentLinkedQueue<>();

  /** Parse trees by template text, weighed by text length (characters). */
  static final long MAX_PARSED_CHARACTERS = 32L * 1024 * 1024;

  private final Cache<String, Node> parsed =
      Caffeine.newBuilder()
          .maximumWeight(MAX_PARSED_CHARACTERS)
          .<String, Node>weigher((text, node) -> Math.max(1, text.length()))
          .build();

  public TemplateEngine() {
    this(Limits.DEFAULT);
  }

  TemplateEngine(Limits limits) {
    this.limits = limits;
    config =
        JinjavaConfig.newBuilder()
            .withFailOnUnknownTokens(true)
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withMaxOutputSize(MAX_OUTPUT)
            .withMaxStringLength(MAX_OUTPUT)
            .withMaxListSize(limits.maxLoopIterations())
            .withMaxMapSize(limits.maxLoopIterations())
            .withMaxRenderDepth(10)
            .withNestedInterpretationEnabled(false)
            .withEnableRecursiveMacroCalls(false)
            .withElResolver(new JavaFreeResolver())
            .withDisabled(
                Map.of(Context.Library.FILTER, Set.of("render", "center", "fromyaml", "toyaml")))
            .withProcessors(
                JinjavaProcessors.newBuilder()
                    .withNodePreProcessor((node, i) -> RenderSandbox.step(node.getLineNumber()))
                    .build())
            .build();
    jinjava = new Jinjava(config);
    jinjava.setResourceLocator(RenderSandbox.RESOURCES);
    jinjava.getGlobalContext().registerTag(new BudgetedForTag());
    jinjava.getGlobalContext().registerFilter(new UciTimezoneFilter());
  }

  /** Renders every file of the set within one budget; output files in path order. */
  public List<ConfigFile> render(TemplateSet set, Map<String, Object> context) {
    RenderSandbox sandbox = RenderSandbox.open(set, limits);
    try {
      List<ConfigFile> files = new ArrayList<>();
      for (var entry : set.files().entrySet()) {
        files.add(new ConfigFile(entry.getKey(), render(set, entry.getKey(), context, sandbox)));
      }
      return files;
    } finally {
      sandbox.close();
    }
  }

  /**
   * Finds syntax errors, and references to files outside the set, without any variables and without
   * running the templates; throws for the first one.
   */
  public void validate(TemplateSet set) {
    for (var entry : set.files().entrySet()) {
      withInterpreter(
          Map.of(),
          interpreter -> {
            Node root = interpreter.parse(entry.getValue());
            fatal(interpreter.getErrorsCopy())
                .ifPresent(
                    error -> {
                      throw failure(set, entry.getKey(), error);
                    });
            checkReferences(set, entry.getKey(), root);
            return null;
          });
    }
  }

  private String render(
      TemplateSet set, String file, Map<String, Object> context, RenderSandbox sandbox) {
    boolean uci = isUci(file);
    Rendered result =
        withInterpreter(
            context,
            uci,
            interpreter -> {
              try {
                return new Rendered(
                    interpreter.render(parsed(interpreter, set.files().get(file)), true),
                    interpreter.getErrorsCopy(),
                    null);
              } catch (RuntimeException e) {
                return new Rendered(null, interpreter.getErrorsCopy(), e);
              }
            });
    var exceeded = sandbox.exceeded();
    if (exceeded != null) {
      throw new TemplateException(set.model(), file, exceeded.line(), null, exceeded.getMessage());
    }
    if (result.thrown() != null && causedBy(result.thrown(), OutputTooBigException.class)
        || result.errors().stream()
            .anyMatch(e -> e.getReason() == TemplateError.ErrorReason.OUTPUT_TOO_BIG)) {
      throw new TemplateException(
          set.model(), file, 0, null, "the file renders more than " + MAX_OUTPUT + " characters");
    }
    if (result.thrown() != null && lineBreak(result.thrown()) != null) {
      var lineBreak = lineBreak(result.thrown());
      throw new TemplateException(
          set.model(), file, lineBreak.line(), null, lineBreak.getMessage());
    }
    if (result.thrown() != null) {
      // an earlier fatal error (a filter refusing its input) is the cause of what failed later
      throw failure(set, file, fatal(result.errors()).orElseGet(() -> error(result.thrown())));
    }
    fatal(result.errors())
        .ifPresent(
            error -> {
              throw failure(set, file, error);
            });
    if (uci) {
      try {
        UciGrammar.parse(result.output());
      } catch (UciGrammar.SyntaxError e) {
        throw new TemplateException(
            set.model(), file, 0, null, "the output is not valid UCI: " + e.getMessage());
      }
    }
    return result.output();
  }

  /** The template's parse tree, from the cache or parsed now (and cached when it parsed clean). */
  private Node parsed(JinjavaInterpreter interpreter, String template) {
    Node root = parsed.getIfPresent(template);
    if (root == null) {
      root = interpreter.parse(template);
      if (interpreter.getErrorsCopy().isEmpty()) {
        parsed.put(template, root);
      }
    }
    return root;
  }

  /**
   * UCI files: values are escaped for single quotes ({@link UciExpressionStrategy}) and the output
   * must read as libuci reads it ({@link UciGrammar}).
   */
  static boolean isUci(String file) {
    return file.startsWith("/etc/config/");
  }

  private static UciExpressionStrategy.LineBreakInValue lineBreak(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UciExpressionStrategy.LineBreakInValue found) {
        return found;
      }
    }
    return null;
  }

  private record Rendered(String output, List<TemplateError> errors, RuntimeException thrown) {}

  private static TemplateError error(RuntimeException e) {
    return switch (e) {
      case TemplateSyntaxException syntax -> TemplateError.fromException(syntax);
      case InterpretException interpret -> TemplateError.fromSyntaxError(interpret);
      case InvalidArgumentException argument ->
          TemplateError.fromInvalidArgumentException(argument);
      case InvalidInputException input -> TemplateError.fromInvalidInputException(input);
      default -> TemplateError.fromException(e);
    };
  }

  private <T> T withInterpreter(
      Map<String, ?> bindings, java.util.function.Function<JinjavaInterpreter, T> work) {
    return withInterpreter(bindings, false, work);
  }

  private <T> T withInterpreter(
      Map<String, ?> bindings,
      boolean uci,
      java.util.function.Function<JinjavaInterpreter, T> work) {
    Context base = bases.poll();
    if (base == null) {
      base = jinjava.getGlobalContextCopy();
    }
    Context context = new Context(base, bindings, config.getDisabled());
    if (uci) {
      context.setExpressionStrategy(UCI_VALUES);
    }
    var interpreter = new JinjavaInterpreter(jinjava, context, config);
    try (var current = JinjavaInterpreter.closeablePushCurrent(interpreter).get()) {
      return work.apply(interpreter);
    } finally {
      base.reset();
      bases.offer(base);
    }
  }

  /** Refuses includes, imports and extends that name, as a literal, a file outside the set. */
  private static void checkReferences(TemplateSet set, String file, Node node) {
    if (node instanceof com.hubspot.jinjava.tree.TagNode tag
        && REFERENCING_TAGS.contains(tag.getName())) {
      String helpers = tag.getHelpers().strip();
      if (!helpers.isEmpty() && (helpers.charAt(0) == '\'' || helpers.charAt(0) == '"')) {
        int end = helpers.indexOf(helpers.charAt(0), 1);
        String name = end < 0 ? helpers.substring(1) : helpers.substring(1, end);
        if (!set.files().containsKey(name)) {
          throw new TemplateException(
              set.model(), file, tag.getLineNumber(), null, RenderSandbox.outside(name, set));
        }
      }
    }
    for (Node child : node.getChildren()) {
      checkReferences(set, file, child);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<TemplateError> fatal(List<TemplateError> errors) {
    return errors.stream()
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
}
