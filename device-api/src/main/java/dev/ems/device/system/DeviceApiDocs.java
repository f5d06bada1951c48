package dev.ems.device.system;

import dev.ems.platform.apidocs.ApiDocs;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * device-api's part of its OpenAPI document (the routes declare theirs with {@code
 * RouterOperation}): the device's certificate as the security scheme, and the problems every device
 * operation may answer with — rate limiting (429) and an unavailable dependency (503) beside the
 * common ones.
 */
@Configuration(proxyBeanMethods = false)
class DeviceApiDocs {

  @Bean
  OpenApiCustomizer deviceOpenApi(DeviceApiProperties properties) {
    return openApi -> {
      openApi
          .getComponents()
          .addSecuritySchemes(
              ApiDocs.DEVICE_CERTIFICATE,
              new SecurityScheme()
                  .type(SecurityScheme.Type.MUTUALTLS)
                  .description(
                      "The device's EMS certificate: over mTLS, or forwarded by a trusted"
                          + " TLS-terminating proxy in "
                          + properties.clientCertHeader()
                          + " (docs/device-api-tls.md)."));
      if (openApi.getPaths() == null) {
        return;
      }
      openApi.getPaths().values().stream()
          .flatMap(path -> path.readOperations().stream())
          .forEach(
              operation -> {
                List<Integer> statuses = new ArrayList<>(List.of(400, 401, 403, 404, 409, 422));
                statuses.addAll(List.of(429, 503));
                if (operation.getRequestBody() != null) {
                  statuses.addAll(List.of(413, 415, 502));
                }
                ApiDocs.addProblems(operation, statuses);
                if (operation.getSecurity() == null) {
                  // enrollment: the bootstrap token in the body is the credential
                  operation.setSecurity(List.of());
                }
              });
    };
  }
}
