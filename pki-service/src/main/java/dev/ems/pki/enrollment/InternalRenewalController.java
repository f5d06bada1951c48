package dev.ems.pki.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.enrollment.InternalEnrollmentController.EnrollmentResponse;
import dev.ems.pki.system.Pem;
import dev.ems.platform.security.PublicEndpoint;
import dev.ems.platform.web.EmsException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For device-api (issue 18): renewal with the device's current certificate, and the CA chain that
 * EST's {@code cacerts} and SCEP's {@code GetCACert} hand to devices. Behind the internal key, like
 * enrollment (docs/adr/0006).
 */
@RestController
class InternalRenewalController {

  private final DeviceRenewal renewal;
  private final CertificateAuthority ca;
  private final IssuingCas issuing;

  InternalRenewalController(DeviceRenewal renewal, CertificateAuthority ca, IssuingCas issuing) {
    this.renewal = renewal;
    this.ca = ca;
    this.issuing = issuing;
  }

  @PublicEndpoint(
      "guarded by the internal service credential (InternalKeyFilter), not an operator key")
  @PostMapping("/internal/v1/renewals")
  EnrollmentResponse renew(@Valid @RequestBody RenewalRequest request) {
    var issued =
        renewal.renew(request.tenant(), request.deviceId(), request.certificate(), request.csr());
    return new EnrollmentResponse(
        issued.record().serial(),
        Pem.certificate(issued.record().der()),
        Pem.chain(issued.chain()),
        issued.record().notAfter());
  }

  /**
   * device-api saw the device authenticate with this certificate: the certificates issued to it
   * before are superseded (issue 18). Idempotent.
   */
  @PublicEndpoint(
      "guarded by the internal service credential (InternalKeyFilter), not an operator key")
  @PostMapping("/internal/v1/certificates-in-use")
  InUseResponse inUse(@Valid @RequestBody InUseRequest request) {
    return new InUseResponse(renewal.inUse(request.tenant(), request.deviceId(), request.serial()));
  }

  record InUseRequest(
      @NotBlank @Size(max = 100) String tenant,
      @NotNull UUID deviceId,
      @NotBlank @Size(max = 64) String serial) {}

  /** The serials this call superseded (none on a repeat). */
  record InUseResponse(java.util.List<String> superseded) {}

  @PublicEndpoint(
      "guarded by the internal service credential (InternalKeyFilter), not an operator key")
  @GetMapping("/internal/v1/ca-chain")
  ResponseEntity<String> chain(
      @RequestParam(required = false) @Size(min = 1, max = 100) String tenant,
      @RequestParam(required = false) @Size(min = 1, max = 120) String caId) {
    // without a tenant (a device not yet known): the shared issuing CA and the root; with the
    // tenant of a device that authenticated: its tenant's issuing CA and the root (issue 19); with
    // a CA's id (SCEP GetCACert's message, the random id of the CA's CRL URL): that CA's chain,
    // as the back end has it for the CA's tenant. An unknown id is 404, the same for every one
    java.util.List<java.security.cert.X509Certificate> chain;
    if (caId != null) {
      var known =
          issuing
              .byId(caId)
              .orElseThrow(() -> EmsException.notFound(ErrorCode.CA_NOT_FOUND, "no CA of that id"));
      chain = known.shared() ? ca.chain() : ca.chain(known.tenant());
    } else {
      chain = tenant == null ? ca.chain() : ca.chain(tenant);
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
        .body(Pem.chain(chain));
  }

  record RenewalRequest(
      @NotBlank @Size(max = 100) String tenant,
      @NotNull UUID deviceId,
      @NotBlank @Size(max = 20_000) String certificate,
      @NotBlank @Size(max = 20_000) String csr) {}
}
