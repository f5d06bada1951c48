package dev.ems.device.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.device.system.DeviceBodies;
import dev.ems.platform.web.EmsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * EST (RFC 7030) on the same enrollment rules as {@code /device/v1/enroll}: {@code simpleenroll}
 * with HTTP Basic {@code serial:bootstrap-token} (or the device's current certificate, which makes
 * it a renewal), {@code simplereenroll} with the current certificate only. Requests are base64
 * PKCS#10 ({@code application/pkcs10}); answers certs-only CMS, base64. Refusals are problems with
 * the EMS code; nothing is issued.
 */
@Component
class EstHandler {

  static final String REALM = "ems-est";

  private final EnrollmentService enrollment;
  private final DeviceAuthenticator authenticator;
  private final RateLimiter rateLimiter;
  private final DeviceBodies bodies;
  private final CaCertificates cas;

  EstHandler(
      EnrollmentService enrollment,
      DeviceAuthenticator authenticator,
      RateLimiter rateLimiter,
      DeviceBodies bodies,
      CaCertificates cas) {
    this.enrollment = enrollment;
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    this.bodies = bodies;
    this.cas = cas;
  }

  /**
   * RFC 7030 4.1: the CA certificates. A device that authenticates gets its tenant's issuing CA and
   * the root, the chain its certificate needs (issue 19): with its EMS certificate, or, before it
   * has one, with the HTTP Basic {@code serial:bootstrap-token} it enrolls with (RFC 7030 3.2.3
   * allows HTTP authentication on any request; a spent token still names its device, which may ask
   * after enrolling). Wrong Basic credentials are refused as in {@code simpleenroll}, counted
   * against the serial's rate limit. Anyone else gets the chain that names no tenant (a tenant's CA
   * names its tenant), and a certificate that does not authenticate changes nothing but that.
   */
  Mono<ServerResponse> cacerts(ServerRequest request) {
    String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] serialAndToken = basic(authorization.substring(6).strip());
      rateLimiter.acquire("enroll:" + serialAndToken[0]);
      return enrollment
          .bootstrapTenant(serialAndToken[0], serialAndToken[1])
          .flatMap(
              tenant ->
                  cas.chainPem(tenant)
                      .onErrorMap(PkiClient.PkiUnavailable.class, e -> unavailable()))
          .flatMap(pem -> certsOnly(pem));
    }
    String tenant = null;
    if (authenticator.presentsCertificate(request)) {
      try {
        tenant = authenticator.authenticate(request).tenant();
      } catch (EmsException notADevice) {
        tenant = null;
      }
    }
    return cas.chainPem(tenant)
        .onErrorMap(PkiClient.PkiUnavailable.class, e -> unavailable())
        .flatMap(pem -> certsOnly(pem));
  }

  /** RFC 7030 4.5: the attributes EMS wants in a CSR: a P-256 key, signed with SHA-256. */
  Mono<ServerResponse> csrattrs(ServerRequest request) {
    return ServerResponse.ok()
        .contentType(MediaType.parseMediaType("application/csrattrs"))
        .header("Content-Transfer-Encoding", "base64")
        .bodyValue(CertsOnly.base64(CsrAttributes.DER));
  }

  Mono<ServerResponse> simpleenroll(ServerRequest request) {
    String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] serialAndToken = basic(authorization.substring(6).strip());
      rateLimiter.acquire("enroll:" + serialAndToken[0]);
      return csr(request)
          .flatMap(csr -> enrollment.enroll(serialAndToken[0], serialAndToken[1], csr))
          .flatMap(enrolled -> certsOnly(enrolled.certificatePem()));
    }
    if (authenticator.presentsCertificate(request)) {
      return renew(request, false);
    }
    // RFC 7030 3.2.3: ask for the credentials. No body: a client such as BouncyCastle's closes
    // this answer unread before it retries with them, and fails on a body it did not read
    return ServerResponse.status(401)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"")
        .build();
  }

  Mono<ServerResponse> simplereenroll(ServerRequest request) {
    return renew(request, true);
  }

  private Mono<ServerResponse> renew(ServerRequest request, boolean sameSubject) {
    DeviceIdentity device = authenticator.authenticate(request);
    rateLimiter.acquire(device.deviceId());
    String current = authenticator.certificatePem(request);
    return csr(request)
        .doOnNext(csr -> sameSubjectAs(current, csr, sameSubject))
        .flatMap(csr -> enrollment.renew(device, current, csr))
        .flatMap(renewed -> certsOnly(renewed.certificatePem()));
  }

  /**
   * RFC 7030 4.2.2: a re-enrollment's subject is the certificate's. EMS sets the subject from the
   * device anyway; a CSR naming another subject is refused rather than silently renamed.
   */
  private static void sameSubjectAs(String currentPem, String csrPem, boolean check) {
    X500Name requested = CertsOnly.request(csrPem).getSubject();
    if (!check || requested.getRDNs().length == 0) {
      return;
    }
    X500Name held = X500Name.getInstance(EnrollmentService.subjectOf(currentPem));
    if (!held.equals(requested)) {
      throw new EmsException(
          ErrorCode.INVALID_CSR,
          "A re-enrollment request must name the subject of the certificate it renews",
          "csr");
    }
  }

  private Mono<String> csr(ServerRequest request) {
    MediaType type = request.headers().contentType().orElse(null);
    if (type == null
        || !"application/pkcs10".equalsIgnoreCase(type.getType() + "/" + type.getSubtype())) {
      return Mono.error(
          new EmsException(
              ErrorCode.UNSUPPORTED_MEDIA_TYPE, "EST requests are application/pkcs10 (base64)"));
    }
    return bodies.readBytes(request).map(CertsOnly::csrPem);
  }

  private static Mono<ServerResponse> certsOnly(String pem) {
    return ServerResponse.ok()
        .contentType(MediaType.parseMediaType(CertsOnly.MEDIA_TYPE))
        .header("Content-Transfer-Encoding", "base64")
        .bodyValue(CertsOnly.base64(CertsOnly.der(pem)));
  }

  private static String[] basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = "";
    }
    int colon = decoded.indexOf(':');
    if (colon < 1 || colon == decoded.length() - 1 || decoded.length() > 256) {
      throw new EmsException(
          ErrorCode.BOOTSTRAP_TOKEN_INVALID,
          "HTTP Basic credentials must be serial:bootstrap-token",
          "bootstrapToken");
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static EmsException unavailable() {
    return new EmsException(
        ErrorCode.SERVICE_UNAVAILABLE, "The CA certificates cannot be read right now; retry later");
  }
}
