package dev.ems.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The operations a document declares, and which of them a request's method and path take. */
record Operations(List<Operations.Operation> operations) {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  /** {@code operator}: called with an operator API key (not public, internal or a device's). */
  record Operation(String name, Pattern path, int literals, boolean operator) {}

  static Operations of(JsonNode spec) {
    List<Operation> operations = new ArrayList<>();
    spec.path("paths")
        .fields()
        .forEachRemaining(
            path -> {
              String template = path.getKey();
              StringBuilder regex = new StringBuilder("^");
              for (String part : template.split("\\{[^}]+}", -1)) {
                regex.append(Pattern.quote(part)).append("[^/]+");
              }
              Pattern pattern =
                  Pattern.compile(regex.substring(0, regex.length() - "[^/]+".length()) + "$");
              int literals = template.replaceAll("\\{[^}]+}", "").length();
              path.getValue()
                  .fields()
                  .forEachRemaining(
                      op -> {
                        if (METHODS.contains(op.getKey())) {
                          boolean operator =
                              op.getValue().path("security").toString().contains("apiKey");
                          operations.add(
                              new Operation(
                                  op.getKey().toUpperCase(Locale.ROOT) + " " + template,
                                  pattern,
                                  literals,
                                  operator));
                        }
                      });
            });
    return new Operations(operations);
  }

  /** The most specific operation (most literal characters) that takes the request. */
  Optional<String> match(String method, String path) {
    String prefix = method.toUpperCase(Locale.ROOT) + " ";
    return operations.stream()
        .filter(op -> op.name().startsWith(prefix) && op.path().matcher(path).matches())
        .max(Comparator.comparingInt(Operation::literals))
        .map(Operation::name);
  }

  List<String> operator() {
    return operations.stream().filter(Operation::operator).map(Operation::name).toList();
  }

  List<String> all() {
    return operations.stream().map(Operation::name).toList();
  }
}
