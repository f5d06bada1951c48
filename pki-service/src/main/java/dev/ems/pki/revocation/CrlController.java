package dev.ems.pki.revocation;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.system.Pem;
import dev.ems.platform.security.PublicEndpoint;
import dev.ems.platform.web.EmsException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The CRL, public (outside {@code /api/**}) because relying parties fetch it without a key. */
@RestController
class CrlController {

  private final CrlPublisher crls;

  CrlController(CrlPublisher crls) {
    this.crls = crls;
  }

  @PublicEndpoint("CRLs are public by design (RFC 5280 distribution point)")
  @GetMapping("/pki/v1/crl")
  ResponseEntity<?> crl(@RequestParam(defaultValue = "der") String format) {
    return answer(crls.current(), format);
  }

  /**
   * A tenant's issuing CA's CRL (issue 19), the distribution point its certificates name. Public
   * like the other: a CA's id names its tenant, as the CA certificate does.
   */
  @PublicEndpoint("CRLs are public by design (RFC 5280 distribution point)")
  @GetMapping("/pki/v1/crl/{caId}")
  ResponseEntity<?> crlOf(
      @PathVariable String caId, @RequestParam(defaultValue = "der") String format) {
    if (caId.length() > 120) {
      throw EmsException.notFound(ErrorCode.CA_NOT_FOUND, "that CA");
    }
    byte[] der =
        crls.current(caId).orElseThrow(() -> EmsException.notFound(ErrorCode.CA_NOT_FOUND, caId));
    return answer(der, format);
  }

  private static ResponseEntity<?> answer(byte[] der, String format) {
    var response = ResponseEntity.ok().cacheControl(CacheControl.noCache());
    if ("pem".equalsIgnoreCase(format)) {
      return response
          .contentType(MediaType.parseMediaType("application/x-pem-file"))
          .body(Pem.encode("X509 CRL", der));
    }
    return response.contentType(MediaType.parseMediaType("application/pkix-crl")).body(der);
  }
}
