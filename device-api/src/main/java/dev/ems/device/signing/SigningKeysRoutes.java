package dev.ems.device.signing;

import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.List;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /device/v1/config-signing-keys}: the certificate chains that verify the device's
 * bundles (its own tenant's only, every unexpired key), authenticated like the config fetch.
 * Response {@code {"keys":[{"keyId","chainPem","notBefore","notAfter"}]}}, newest first.
 */
@Configuration(proxyBeanMethods = false)
class SigningKeysRoutes {

  /** The answer: the tenant's unexpired config-signing chains. */
  record SigningKeys(List<SigningChains.Chain> keys) {}

  static final String PATH = "/device/v1/config-signing-keys";

  @RouterOperation(
      path = PATH,
      method = RequestMethod.GET,
      operation =
          @Operation(
              operationId = "device_configSigningKeys",
              summary = "Config signing: the tenant's current signing keys",
              description = "The unexpired certificate chains that sign the tenant's bundles.",
              tags = "device/signing",
              security = @SecurityRequirement(name = "deviceCertificate"),
              responses =
                  @ApiResponse(
                      responseCode = "200",
                      description = "The keys",
                      content =
                          @Content(
                              mediaType = "application/json",
                              schema = @Schema(implementation = SigningKeys.class)))))
  @Bean
  RouterFunction<ServerResponse> configSigningKeysEndpoint(
      DeviceAuthenticator authenticator, RateLimiter rateLimiter, SigningChains chains) {
    return RouterFunctions.route()
        .GET(
            PATH,
            request -> {
              DeviceIdentity device = authenticator.authenticate(request);
              rateLimiter.acquire(device.deviceId());
              return Mono.fromCallable(() -> chains.unexpired(device.tenant()))
                  .subscribeOn(Schedulers.boundedElastic())
                  .flatMap(
                      (List<SigningChains.Chain> keys) ->
                          ServerResponse.ok()
                              .contentType(MediaType.APPLICATION_JSON)
                              .bodyValue(new SigningKeys(keys)));
            })
        .build();
  }
}
