package dev.ems.device.config;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The config fetch as a WebFlux functional endpoint on Netty; its happy path is answered ahead of
 * WebFlux by {@link ConfigFetchRoute} (docs/adr/0007).
 */
@Configuration(proxyBeanMethods = false)
class ConfigRoutes {

  static final String PATH = "/device/v1/config";

  @RouterOperation(
      path = PATH,
      method = RequestMethod.GET,
      beanClass = ConfigHandler.class,
      beanMethod = "fetch",
      operation =
          @Operation(
              operationId = "device_configFetch",
              summary = "Config: fetch the device's current bundle",
              description =
                  "The published config bundle of the calling device, signed (detached signature"
                      + " header). With If-None-Match equal to the current ETag: 304.",
              tags = "device/config",
              security = @SecurityRequirement(name = "deviceCertificate"),
              parameters =
                  @Parameter(
                      name = "If-None-Match",
                      in = ParameterIn.HEADER,
                      description = "The ETag (bundle sha256) the device runs",
                      schema = @Schema(type = "string")),
              responses = {
                @ApiResponse(
                    responseCode = "200",
                    description = "The bundle",
                    headers = {
                      @Header(name = "ETag", description = "The bundle's sha256, quoted"),
                      @Header(name = "X-Config-Version", description = "The config version")
                    },
                    content =
                        @Content(
                            mediaType = "application/json",
                            schema =
                                @Schema(
                                    type = "object",
                                    description = "The config bundle (files, version)"))),
                @ApiResponse(
                    responseCode = "304",
                    description = "The device runs the current bundle")
              }))
  @Bean
  RouterFunction<ServerResponse> configEndpoint(ConfigHandler handler) {
    return RouterFunctions.route().GET(PATH, handler::fetch).build();
  }
}
