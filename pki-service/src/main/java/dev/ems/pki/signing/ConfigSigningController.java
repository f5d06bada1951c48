package dev.ems.pki.signing;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators see their tenant's config-signing certificates; an ADMIN rotates the key now (e.g. when
 * it may have leaked). The new key signs new versions once pki-service has certified it; old
 * bundles still verify.
 */
@RestController
class ConfigSigningController {

  private final ConfigSigningService service;
  private final SigningCertificates certificates;

  ConfigSigningController(ConfigSigningService service, SigningCertificates certificates) {
    this.service = service;
    this.certificates = certificates;
  }

  /** The own tenant's config-signing certificates, newest first. */
  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/config-signing/certificates")
  List<SigningCertificates.Listed> list(Caller caller) {
    return certificates.list(caller.tenant());
  }

  record RotationResponse(String tenant, UUID rotationId) {}

  @RequiresRole(Role.ADMIN)
  @ApiResponse(responseCode = "202", description = "Accepted")
  @PostMapping("/api/v1/config-signing/rotations")
  ResponseEntity<RotationResponse> rotate(Caller caller) {
    UUID rotationId = service.rotate(caller.tenant(), "admin");
    return ResponseEntity.accepted().body(new RotationResponse(caller.tenant(), rotationId));
  }
}
