package dev.ems.platform.apidocs;

import dev.ems.platform.security.PublicEndpoint;
import dev.ems.platform.security.RequiresRole;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * What every operator operation of a servlet service documents beyond what springdoc reads off its
 * signature: a unique operation id, a summary, a tag per feature ({@code sc/inventory}), the
 * security its access rule ({@link RequiresRole}, {@link PublicEndpoint}) asks for, and the
 * problems it may answer with.
 */
final class OperationDocs implements OperationCustomizer {

  @Override
  public Operation customize(Operation operation, HandlerMethod handler) {
    String resource = handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
    String method = handler.getMethod().getName();
    operation.setOperationId(
        root(handler)
            + "_"
            + lowerFirst(resource)
            + Character.toUpperCase(method.charAt(0))
            + method.substring(1));
    if (operation.getSummary() == null) {
      operation.setSummary(words(resource, true) + ": " + words(method, false));
    }
    operation.setTags(List.of(tag(handler)));
    List<Integer> problems = new ArrayList<>(ProblemResponses.COMMON);
    PublicEndpoint open = find(handler, PublicEndpoint.class);
    RequiresRole rule = find(handler, RequiresRole.class);
    if (open != null) {
      operation.setSecurity(List.of());
      describe(operation, "Public: " + open.value() + ".");
      problems.removeAll(List.of(401, 403));
    } else if (rule != null) {
      operation.setSecurity(List.of(new SecurityRequirement().addList(ApiDocs.API_KEY)));
      describe(
          operation,
          "Requires an API key with role "
              + rule.value()
              + " or higher"
              + (rule.systemTenant() ? ", of the system tenant." : "."));
    }
    if (operation.getParameters() != null
        && operation.getParameters().stream().anyMatch(p -> "If-Match".equals(p.getName()))) {
      problems.add(412);
    }
    if (operation.getRequestBody() != null) {
      problems.addAll(List.of(413, 415));
    }
    ProblemResponses.addResponses(operation, problems);
    return operation;
  }

  /** {@code sc/inventory}: the service's package root and the feature's package. */
  static String tag(HandlerMethod handler) {
    String name = handler.getBeanType().getPackageName();
    String[] parts = name.split("\\.");
    return parts.length >= 4 ? parts[2] + "/" + parts[3] : parts[parts.length - 1];
  }

  private static String root(HandlerMethod handler) {
    String[] parts = handler.getBeanType().getPackageName().split("\\.");
    return parts.length >= 3 ? parts[2] : "ems";
  }

  private static <A extends java.lang.annotation.Annotation> A find(
      HandlerMethod handler, Class<A> type) {
    A found = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), type);
    return found != null
        ? found
        : AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), type);
  }

  private static void describe(Operation operation, String text) {
    String existing = operation.getDescription();
    operation.setDescription(existing == null ? text : existing + "\n\n" + text);
  }

  private static String lowerFirst(String text) {
    return Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }

  /** {@code DeviceFeature} as {@code Device feature}, {@code listAll} as {@code list all}. */
  static String words(String camel, boolean capitalized) {
    String spaced = camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return capitalized ? Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1) : spaced;
  }
}
