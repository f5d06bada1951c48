package dev.ems.platform.apidocs;

import dev.ems.platform.security.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OpenAPI 3.1 of every EMS service, generated from the code by springdoc and served at {@code
 * /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): the security schemes the services use,
 * problems with their stable codes, and the same title, server and ids in every run, so that the
 * merged {@code docs/api/openapi.yaml} can be checked for drift.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(OpenApiCustomizer.class)
public class ApiDocs {

  /** Operator API keys: {@code Authorization: Bearer <key>} (docs/adr/0004). */
  public static final String API_KEY = "apiKey";

  /** The service-to-service credential of {@code /internal/**} (device-api → pki-service). */
  public static final String INTERNAL_KEY = "internalKey";

  /** A device's EMS certificate, over mTLS or forwarded by a trusted proxy. */
  public static final String DEVICE_CERTIFICATE = "deviceCertificate";

  static {
    // the authenticated operator, resolved from the security context, never a request parameter
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
  }

  @Bean
  OpenApiCustomizer emsOpenApi(@Value("${spring.application.name}") String service) {
    return openApi -> {
      openApi.info(
          new Info()
              .title("EMS " + service)
              .version("v1")
              .description(
                  "The "
                      + service
                      + " API of EMS. Errors are RFC 9457 problems with a stable `code`."));
      openApi.servers(List.of(new Server().url("/").description(service)));
      Components components =
          openApi.getComponents() == null ? new Components() : openApi.getComponents();
      components.addSecuritySchemes(
          API_KEY,
          new SecurityScheme()
              .type(SecurityScheme.Type.HTTP)
              .scheme("bearer")
              .bearerFormat("EMS API key")
              .description(
                  "An operator API key (`ems_…`) as `Authorization: Bearer <key>`; its tenant and"
                      + " role (VIEWER < OPERATOR < ADMIN) decide what it may do."));
      NullableFields.apply(components);
      ProblemResponses.addSchemas(components);
      openApi.components(components);
      internal(openApi);
      wildcardPaths(openApi);
    };
  }

  /**
   * Adds the problems (RFC 9457, {@code application/problem+json}) of the given statuses that the
   * operation does not document yet, each listing its stable codes.
   */
  public static void addProblems(Operation operation, List<Integer> statuses) {
    ProblemResponses.addResponses(operation, statuses);
  }

  /**
   * A handler of {@code /x/**} (OCSP's GET, whose request is the path's last segment) as {@code
   * /x/{request}}: OpenAPI has no wildcard paths.
   */
  private static void wildcardPaths(OpenAPI openApi) {
    if (openApi.getPaths() == null) {
      return;
    }
    for (String path : List.copyOf(openApi.getPaths().keySet())) {
      if (path.endsWith("/**")) {
        PathItem item = openApi.getPaths().remove(path);
        item.addParametersItem(
            new Parameter()
                .name("request")
                .in("path")
                .required(true)
                .description("The rest of the path")
                .schema(new JsonSchema().types(java.util.Set.of("string"))));
        openApi.getPaths().addPathItem(path.substring(0, path.length() - 3) + "/{request}", item);
      }
    }
  }

  /** {@code /internal/**} takes the internal service credential, never an operator key. */
  private static void internal(OpenAPI openApi) {
    if (openApi.getPaths() == null) {
      return;
    }
    openApi.getPaths().entrySet().stream()
        .filter(path -> path.getKey().startsWith("/internal/"))
        .flatMap(path -> path.getValue().readOperations().stream())
        .forEach(
            operation -> {
              operation.setSecurity(List.of(new SecurityRequirement().addList(INTERNAL_KEY)));
              operation.setDescription(
                  "Service to service: requires the internal API key (EMS_INTERNAL_API_KEY).");
              ProblemResponses.addResponses(operation, List.of(401));
              openApi
                  .getComponents()
                  .addSecuritySchemes(
                      INTERNAL_KEY,
                      new SecurityScheme()
                          .type(SecurityScheme.Type.HTTP)
                          .scheme("bearer")
                          .description(
                              "The suite's internal service credential (EMS_INTERNAL_API_KEY)."));
            });
  }

  /** Servlet services: the operations of their controllers. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class Servlet {

    @Bean
    OperationCustomizer emsOperations() {
      return new OperationDocs();
    }
  }
}
