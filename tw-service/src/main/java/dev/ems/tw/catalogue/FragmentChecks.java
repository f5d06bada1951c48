package dev.ems.tw.catalogue;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.ems.common.event.FeatureFragment;
import dev.ems.platform.web.Problems.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a feature's fragments before they are stored: each names a unique fragment name, an
 * absolute output path and a mode, and its template parses as Jinja2 (Jinjava, the engine and
 * version sc-service renders with, same whitespace options). Only syntax is checked here: a
 * fragment runs with a device's variables in SC, which reports what fails at run time naming the
 * feature, its version, the fragment and the line. Errors name the field, e.g. {@code
 * fragments.openwrt-default[0].template}.
 */
@Component
class FragmentChecks {

  static final int MAX_TEMPLATE = 65_536;
  private static final Pattern SET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

  private final Jinjava jinjava =
      new Jinjava(
          JinjavaConfig.newBuilder()
              .withTrimBlocks(true)
              .withLstripBlocks(true)
              .withNestedInterpretationEnabled(false)
              .build());

  List<FieldError> check(Map<String, List<FeatureFragment>> fragments) {
    List<FieldError> errors = new ArrayList<>();
    new TreeMap<>(fragments)
        .forEach(
            (set, list) -> {
              String prefix = "fragments." + set;
              if (!SET.matcher(set).matches()) {
                errors.add(new FieldError(prefix, "is not a template set name"));
                return;
              }
              Set<String> names = new HashSet<>();
              for (int i = 0; i < list.size(); i++) {
                check(list.get(i), prefix + "[" + i + "]", names, errors);
              }
            });
    return errors;
  }

  private void check(
      FeatureFragment fragment, String field, Set<String> names, List<FieldError> errors) {
    if (fragment.name() == null || !NAME.matcher(fragment.name()).matches()) {
      errors.add(new FieldError(field + ".name", "must be lower-case letters, digits, _ and -"));
    } else if (!names.add(fragment.name())) {
      errors.add(new FieldError(field + ".name", "is not unique in its template set"));
    }
    if (fragment.path() == null
        || !PATH.matcher(fragment.path()).matches()
        || fragment.path().contains("/../")
        || fragment.path().endsWith("/..")) {
      errors.add(new FieldError(field + ".path", "must be an absolute file path"));
    }
    if (fragment.mode() == null) {
      errors.add(new FieldError(field + ".mode", "must be FILE or SECTIONS"));
    }
    if (fragment.template() == null) {
      errors.add(new FieldError(field + ".template", "must not be null"));
    } else if (fragment.template().length() > MAX_TEMPLATE) {
      errors.add(
          new FieldError(field + ".template", "is longer than " + MAX_TEMPLATE + " characters"));
    } else {
      syntaxError(fragment.template())
          .ifPresent(message -> errors.add(new FieldError(field + ".template", message)));
    }
  }

  private java.util.Optional<String> syntaxError(String template) {
    JinjavaInterpreter interpreter = jinjava.newInterpreter();
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      interpreter.parse(template);
      return interpreter.getErrorsCopy().stream()
          .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
          .findFirst()
          .map(
              e ->
                  "line "
                      + e.getLineno()
                      + ": "
                      + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
    } catch (RuntimeException e) {
      return java.util.Optional.of(String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }
}
