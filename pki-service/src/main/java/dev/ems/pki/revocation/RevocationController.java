package dev.ems.pki.revocation;

import dev.ems.pki.issuance.CertificateRecord;
import dev.ems.pki.system.Serials;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class RevocationController {

  private final RevocationService revocation;

  RevocationController(RevocationService revocation) {
    this.revocation = revocation;
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/api/v1/certificates/{serial}/revoke")
  RevokedResponse revoke(
      @PathVariable String serial, @Valid @RequestBody RevokeRequest request, Caller caller) {
    CertificateRecord c =
        revocation.revoke(caller.tenant(), Serials.normalize(serial), request.reason());
    return new RevokedResponse(c.serial(), c.status(), c.revocationReason(), c.revokedAt());
  }

  record RevokeRequest(@NotBlank String reason) {}

  record RevokedResponse(String serial, String status, String reason, Instant revokedAt) {}
}
