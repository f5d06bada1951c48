package dev.ems.pki.ca;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.system.Pem;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators list the CAs and download chains: EMS's root and the shared issuing CA of earlier
 * releases, which every tenant sees, and the caller's own tenant's issuing CA ({@code tenant},
 * issue 19; made on first need), which no other tenant sees.
 */
@RestController
@RequestMapping("/api/v1/cas")
class CaController {

  static final String TENANT = "tenant";

  private final CaHierarchy cas;
  private final IssuingCas issuing;

  CaController(CaHierarchy cas, IssuingCas issuing) {
    this.cas = cas;
    this.issuing = issuing;
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<CaResponse> list(Caller caller) {
    IssuingCa own = issuing.forTenant(caller.tenant());
    return List.of(
        CaResponse.of(CaHierarchy.ROOT, null, cas.root()),
        CaResponse.of(CaHierarchy.ISSUING, issuing.shared().id(), cas.issuing()),
        CaResponse.of(TENANT, own.id(), own.certificate()));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}/chain")
  ResponseEntity<String> chain(@PathVariable String id, Caller caller) {
    List<X509Certificate> chain =
        switch (id) {
          case CaHierarchy.ROOT -> List.of(cas.root());
          case CaHierarchy.ISSUING -> cas.chain();
          case TENANT -> issuing.forTenant(caller.tenant()).chain();
          default -> throw EmsException.notFound(ErrorCode.CA_NOT_FOUND, id);
        };
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
        .body(Pem.chain(chain));
  }

  /**
   * @param caId an issuing CA's identifier: the last segment of its CRL URL and what SCEP gear
   *     sends as GetCACert's {@code message} to get this CA's chain (random for a tenant's CA);
   *     null for the root
   */
  record CaResponse(
      String id,
      String caId,
      String subjectDn,
      String issuerDn,
      String serial,
      String keyAlgorithm,
      Instant notBefore,
      Instant notAfter) {

    static CaResponse of(String id, String caId, X509Certificate c) {
      return new CaResponse(
          id,
          caId,
          c.getSubjectX500Principal().getName(),
          c.getIssuerX500Principal().getName(),
          c.getSerialNumber().toString(16),
          c.getPublicKey().getAlgorithm(),
          c.getNotBefore().toInstant(),
          c.getNotAfter().toInstant());
    }
  }
}
