package dev.ems.device.enrollment;

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

  private final EnrollmentService enrollment;
  private final DeviceBodies bodies;
  private final RateLimiter rateLimiter;

  EnrollmentHandler(EnrollmentService enrollment, DeviceBodies bodies, RateLimiter rateLimiter) {
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
}
