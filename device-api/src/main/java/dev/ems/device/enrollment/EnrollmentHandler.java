package dev.ems.device.enrollment;

import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.device.system.DeviceBodies;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code POST /device/v1/enroll}: no certificate yet, so the serial is what is rate limited. */
@Component
class EnrollmentHandler {

  record EnrollRequest(
      @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]+") String serial,
      @NotBlank @Size(max = 128) String bootstrapToken,
      @NotBlank @Size(max = 20_000) String csr) {}

  record RenewRequest(@NotBlank @Size(max = 20_000) String csr) {}

  private final EnrollmentService enrollment;
  private final DeviceBodies bodies;
  private final RateLimiter rateLimiter;

  private final DeviceAuthenticator authenticator;

  EnrollmentHandler(
      EnrollmentService enrollment,
      DeviceBodies bodies,
      RateLimiter rateLimiter,
      DeviceAuthenticator authenticator) {
    this.authenticator = authenticator;
    this.enrollment = enrollment;
    this.bodies = bodies;
    this.rateLimiter = rateLimiter;
  }

  Mono<ServerResponse> enroll(ServerRequest request) {
    return bodies
        .read(request, EnrollRequest.class)
        .flatMap(
            body -> {
              rateLimiter.acquire("enroll:" + body.serial());
              return enrollment.enroll(body.serial(), body.bootstrapToken(), body.csr());
            })
        .flatMap(result -> ServerResponse.ok().bodyValue(result));
  }

  /**
   * {@code POST /device/v1/renew} (issue 18): the device's current, unexpired certificate (TLS or
   * forwarded) and a CSR for a new key → the new certificate; the old one is superseded.
   */
  Mono<ServerResponse> renew(ServerRequest request) {
    DeviceIdentity device = authenticator.authenticate(request);
    rateLimiter.acquire(device.deviceId());
    String current = authenticator.certificatePem(request);
    return bodies
        .read(request, RenewRequest.class)
        .flatMap(body -> enrollment.renew(device, current, body.csr()))
        .flatMap(result -> ServerResponse.ok().bodyValue(result));
  }
}
