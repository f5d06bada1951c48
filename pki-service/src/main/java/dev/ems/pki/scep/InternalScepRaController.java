package dev.ems.pki.scep;

import dev.ems.pki.system.Pem;
import dev.ems.platform.security.PublicEndpoint;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * For device-api's SCEP endpoint (issue 18): the RA certificate, its chain and its private key.
 * Behind the internal service key like the other {@code /internal/v1} calls (docs/adr/0006); the
 * key leaves pki-service only here, to the service that decrypts devices' SCEP requests with it.
 */
@RestController
class InternalScepRaController {

  private final ScepRegistrationAuthority ra;

  InternalScepRaController(ScepRegistrationAuthority ra) {
    this.ra = ra;
  }

  record ScepRaResponse(
      String certificatePem, String chainPem, String privateKeyPem, Instant notAfter) {}

  @PublicEndpoint(
      "guarded by the internal service credential (InternalKeyFilter), not an operator key")
  @GetMapping("/internal/v1/scep-ra")
  ResponseEntity<ScepRaResponse> current() {
    var current = ra.current();
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(
            new ScepRaResponse(
                Pem.certificate(Pem.der(current.certificate())),
                Pem.chain(current.chain()),
                Pem.encode("PRIVATE KEY", current.key().getEncoded()),
                current.certificate().getNotAfter().toInstant()));
  }
}
