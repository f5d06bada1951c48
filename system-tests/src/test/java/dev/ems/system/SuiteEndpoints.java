package dev.ems.system;

import dev.ems.launcher.Suite;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The operator endpoints a running service serves, read from its handler mappings: the walkers
 * cover a new endpoint without being edited.
 */
final class SuiteEndpoints {

  /** One method and path pattern of a handler. */
  record Mapped(String service, String method, String pattern, HandlerMethod handler) {}

  private SuiteEndpoints() {}

  static List<Mapped> of(Suite suite, String service) {
    List<Mapped> endpoints = new ArrayList<>();
    var context = suite.context(service);
    for (var mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
      mapping
          .getHandlerMethods()
          .forEach(
              (info, handler) -> {
                if (handler.getBeanType().getPackageName().startsWith("org.springdoc")) {
                  // the API description (/v3/api-docs, Swagger UI): public by platform's
                  // SecurityConfiguration.PUBLIC_API_DOCS, not an operator endpoint (ApiDocsIT)
                  return;
                }
                for (String pattern : info.getPatternValues()) {
                  for (var method : info.getMethodsCondition().getMethods()) {
                    endpoints.add(new Mapped(service, method.name(), pattern, handler));
                  }
                }
              });
    }
    return endpoints;
  }
}
