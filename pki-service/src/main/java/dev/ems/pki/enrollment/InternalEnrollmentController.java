package dev.ems.pki.enrollment;

import dev.ems.pki.system.Pem;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.security.PublicEndpoint;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enrollment for device-api (docs/adr/0006): device id + the device's bootstrap token + CSR →
 * certificate and chain. Idempotent: the same device with the same CSR gets the same certificate
 * back.
 */
@RestController
class InternalEnrollmentController {

  private final DeviceEnrollment enrollment;

  InternalEnrollmentController(DeviceEnrollment enrollment) {
    this.enrollment = enrollment;
  }

  @PublicEndpoint(
      "guarded by the internal service credential (InternalKeyFilter), not an operator key")
  @PostMapping("/internal/v1/enrollments")
  EnrollmentResponse enroll(@Valid @RequestBody EnrollmentRequest request) {
    var issued =
        enrollment.enroll(
            request.tenant(), request.deviceId(), request.bootstrapToken(), request.csr());
    return new EnrollmentResponse(
        issued.record().serial(),
        Pem.certificate(issued.record().der()),
        Pem.chain(issued.chain()),
        issued.record().notAfter());
  }

  record EnrollmentRequest(
      @NotBlank @Size(max = 100) String tenant,
      @NotNull UUID deviceId,
      @Size(max = 128) String bootstrapToken,
      @NotBlank @Size(max = 20_000) String csr) {}

  record EnrollmentResponse(
      String serial, String certificatePem, String chainPem, Instant notAfter) {}

  /** The internal key has no default; {@link PkiProperties} refuses a missing or public one. */
  @Configuration(proxyBeanMethods = false)
  static class Security {
    @Bean
    FilterRegistrationBean<InternalKeyFilter> internalKeyFilter(
        PkiProperties properties, JsonMapper json) {
      var registration =
          new FilterRegistrationBean<>(new InternalKeyFilter(properties.internalApiKey(), json));
      registration.addUrlPatterns("/internal/*");
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
      return registration;
    }
  }
}
