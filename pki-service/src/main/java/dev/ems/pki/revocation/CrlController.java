package dev.ems.pki.revocation;

import dev.ems.pki.system.Pem;
import dev.ems.platform.security.PublicEndpoint;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
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
    byte[] der = crls.current();
    var response = ResponseEntity.ok().cacheControl(CacheControl.noCache());
    if ("pem".equalsIgnoreCase(format)) {
      return response
          .contentType(MediaType.parseMediaType("application/x-pem-file"))
          .body(Pem.encode("X509 CRL", der));
    }
    return response.contentType(MediaType.parseMediaType("application/pkix-crl")).body(der);
  }
}
