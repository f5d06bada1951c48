package dev.ems.pki.ocsp;

import dev.ems.platform.security.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 6960 OCSP over HTTP (appendix A): POST with a DER request body, or GET with the base64
 * request, URL-encoded, as the last path part. Public: relying parties have no API key.
 */
@RestController
class OcspController {

  static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");
  private static final String PATH = "/pki/v1/ocsp";

  private final OcspResponder responder;

  OcspController(OcspResponder responder) {
    this.responder = responder;
  }

  @PublicEndpoint("OCSP is public by design (RFC 6960)")
  @PostMapping(path = PATH, consumes = "application/ocsp-request") // RFC 6960, A.1
  ResponseEntity<byte[]> post(@RequestBody byte[] request) {
    return ok(responder.respond(request));
  }

  @PublicEndpoint("OCSP is public by design (RFC 6960)")
  @GetMapping(PATH + "/**")
  ResponseEntity<byte[]> get(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String encoded = uri.substring(uri.indexOf(PATH) + PATH.length() + 1);
    byte[] der;
    try {
      der = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      der = new byte[0];
    }
    return ok(responder.respond(der));
  }

  private static ResponseEntity<byte[]> ok(byte[] body) {
    return ResponseEntity.ok()
        .contentType(OCSP_RESPONSE)
        .cacheControl(CacheControl.noCache())
        .body(body);
  }
}
