package dev.ems.device.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.device.system.DeviceBodies;
import dev.ems.platform.web.EmsException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * SCEP (RFC 8894) on the enrollment rules of {@code /device/v1/enroll}: PKCSReq's challengePassword
 * is the bootstrap token, the CSR's subject names the device's serial (serialNumber, or else CN),
 * and the same {@link EnrollmentService} checks both and has pki-service issue. Refusals of a SCEP
 * message are CertRep FAILURE with the RFC's failInfo and a failInfoText, nothing issued; a body
 * that is not SCEP at all is a problem (400), the device's rate limit a 429, PKI down a 503.
 */
@Component
class ScepHandler {

  /** What EMS does (RFC 8894 3.5.2); no GetNextCACert, no Renewal (EST renews). */
  static final String CAPABILITIES = "POSTPKIOperation\nSHA-256\nAES\nSCEPStandard\n";

  private final EnrollmentService enrollment;
  private final RateLimiter rateLimiter;
  private final DeviceBodies bodies;
  private final ScepRa ras;
  private final ScepTransactions transactions;
  private final CaCertificates cas;

  /** What an issuing CA's id looks like ({@code issuing}, {@code tenant-<uuid>}). */
  private static final java.util.regex.Pattern CA_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9-]{1,120}");

  ScepHandler(
      EnrollmentService enrollment,
      RateLimiter rateLimiter,
      DeviceBodies bodies,
      ScepRa ras,
      ScepTransactions transactions,
      CaCertificates cas) {
    this.cas = cas;
    this.enrollment = enrollment;
    this.rateLimiter = rateLimiter;
    this.bodies = bodies;
    this.ras = ras;
    this.transactions = transactions;
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    String operation = request.queryParam("operation").orElse("");
    return switch (operation) {
      case "GetCACaps" ->
          ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue(CAPABILITIES);
      case "GetCACert" -> caCert(request.queryParam("message").orElse(""));
      case "PKIOperation" -> pkiOperation(request);
      default ->
          Mono.error(
              new EmsException(
                  ErrorCode.INVALID_PARAMETER,
                  "operation must be GetCACaps, GetCACert or PKIOperation",
                  "operation"));
    };
  }

  /**
   * RFC 8894 4.2: the RA certificate and its CA chain; with {@code message}, the CA identifier RFC
   * 8894 lets a client send, the chain of that issuing CA too (issue 19: the random id of a
   * tenant's CA, the last segment of its CRL URL, which its operators see at {@code /api/v1/cas}),
   * so that the device holds the chain of the certificate it is about to get. An id EMS does not
   * know is a 404 {@code ca-not-found}, the same answer for every unknown or malformed one.
   */
  private Mono<ServerResponse> caCert(String caId) {
    Mono<List<X509Certificate>> tenantChain =
        caId.isEmpty()
            ? Mono.just(List.of())
            : (CA_ID.matcher(caId).matches()
                    ? cas.chainPemOfCa(caId)
                    : Mono.just(java.util.Optional.<String>empty()))
                .onErrorMap(PkiClient.PkiUnavailable.class, e -> unavailable())
                .map(
                    chain ->
                        CertsOnly.certificates(
                            chain.orElseThrow(
                                () ->
                                    EmsException.notFound(
                                        ErrorCode.CA_NOT_FOUND, "no CA of that identifier"))));
    return tenantChain.flatMap(
        extra ->
            ras.current()
                .onErrorMap(PkiClient.PkiUnavailable.class, e -> unavailable())
                .flatMap(
                    ra -> {
                      List<X509Certificate> all = new ArrayList<>();
                      all.add(ra.certificate());
                      all.addAll(ra.chain());
                      extra.stream().filter(c -> !all.contains(c)).forEach(all::add);
                      return ServerResponse.ok()
                          .contentType(MediaType.parseMediaType("application/x-x509-ca-ra-cert"))
                          .bodyValue(CertsOnly.der(all));
                    }));
  }

  private Mono<ServerResponse> pkiOperation(ServerRequest request) {
    Mono<byte[]> body =
        request.method() == HttpMethod.GET
            ? Mono.fromCallable(() -> decode(request.queryParam("message").orElse("")))
            : bodies.readBytes(request);
    return body.map(
            der -> {
              try {
                return ScepMessage.parse(der);
              } catch (ScepMessage.NotScep e) {
                throw new EmsException(ErrorCode.MALFORMED_REQUEST, e.getMessage(), "message");
              }
            })
        .flatMap(
            message ->
                ras.known()
                    .onErrorMap(PkiClient.PkiUnavailable.class, e -> unavailable())
                    .flatMap(known -> answer(message, known)))
        .flatMap(
            certRep ->
                ServerResponse.ok()
                    .contentType(MediaType.parseMediaType("application/x-pki-message"))
                    .bodyValue(certRep));
  }

  private Mono<byte[]> answer(ScepMessage message, List<ScepRa.Ra> known) {
    ScepRa.Ra current = known.getFirst();
    return Mono.fromCallable(() -> opened(message, known))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            opened ->
                switch (message.messageType()) {
                  case ScepMessage.PKCS_REQ -> pkcsReq(message, opened);
                  case ScepMessage.CERT_POLL -> certPoll(message, opened);
                  default ->
                      Mono.error(
                          new ScepMessage.Refused(
                              ScepMessage.FailInfo.BAD_REQUEST,
                              "SCEP messageType "
                                  + message.messageType()
                                  + " is not supported (PKCSReq, CertPoll)"));
                })
        .onErrorResume(
            ScepMessage.Refused.class,
            refused ->
                Mono.just(
                    CertRep.failure(message, refused.failInfo, refused.getMessage(), current)));
  }

  private ScepMessage.Opened opened(ScepMessage message, List<ScepRa.Ra> known) {
    ScepMessage.Opened opened = message.open(known);
    transactions.checkTime(message.signingTime());
    if (!transactions.firstSight(message.senderNonce())) {
      throw new ScepMessage.Refused(
          ScepMessage.FailInfo.BAD_REQUEST,
          "The message was seen before (its senderNonce is used)");
    }
    return opened;
  }

  private Mono<byte[]> pkcsReq(ScepMessage message, ScepMessage.Opened opened) {
    PKCS10CertificationRequest csr = csr(opened.content());
    if (!Arrays.equals(message.signer().getPublicKey().getEncoded(), encoded(csr))) {
      throw refused("The message is not signed with the key of its certification request");
    }
    if (!"RSA".equals(message.signer().getPublicKey().getAlgorithm())) {
      // checked before anything is issued: the answer could not be encrypted for this key
      throw new ScepMessage.Refused(
          ScepMessage.FailInfo.BAD_ALG,
          "SCEP answers are encrypted by RSA key transport: the request's key must be RSA");
    }
    String token = challengePassword(csr);
    String serial = serial(csr.getSubject());
    rateLimiter.acquire("enroll:" + serial);
    String keySha256 = sha256(encoded(csr));
    return Mono.fromCallable(() -> transactions.claim(message.transactionId(), keySha256))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            mine -> {
              if (!mine) {
                return Mono.error(
                    refused("The transaction ID belongs to a request for another key"));
              }
              return enrollment.enroll(serial, token, CertsOnly.pem(opened.content()));
            })
        .publishOn(Schedulers.boundedElastic())
        .map(
            enrolled -> {
              transactions.issued(
                  message.transactionId(), enrolled.deviceId(), enrolled.certificatePem());
              return CertRep.success(
                  message, CertsOnly.der(enrolled.certificatePem()), opened.ra());
            })
        .onErrorMap(EmsException.class, ScepHandler::refusal);
  }

  /** GetCertInitial (RFC 8894 3.3.3): the certificate this key's transaction got. */
  private Mono<byte[]> certPoll(ScepMessage message, ScepMessage.Opened opened) {
    String keySha256 = sha256(message.signer().getPublicKey().getEncoded());
    return Mono.fromCallable(
            () ->
                transactions
                    .find(message.transactionId())
                    .filter(t -> t.keySha256().equals(keySha256) && t.certificatePem() != null)
                    .map(
                        t ->
                            CertRep.success(
                                message, CertsOnly.der(t.certificatePem()), opened.ra()))
                    .orElseThrow(
                        () ->
                            new ScepMessage.Refused(
                                ScepMessage.FailInfo.BAD_CERT_ID,
                                "No certificate was issued in this transaction for this key")))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** The enrollment's refusal as a SCEP failure; rate limit and PKI outage stay HTTP. */
  private static Throwable refusal(EmsException e) {
    return switch (e.code()) {
      case RATE_LIMITED, SERVICE_UNAVAILABLE -> e;
      case WEAK_KEY -> new ScepMessage.Refused(ScepMessage.FailInfo.BAD_ALG, e.getMessage());
      default ->
          new ScepMessage.Refused(
              ScepMessage.FailInfo.BAD_REQUEST, e.code().code() + ": " + e.getMessage());
    };
  }

  private static PKCS10CertificationRequest csr(byte[] der) {
    try {
      return new PKCS10CertificationRequest(der);
    } catch (Exception | Error e) {
      throw refused("The pkcsPKIEnvelope does not hold a PKCS#10 request");
    }
  }

  private static byte[] encoded(PKCS10CertificationRequest csr) {
    try {
      return csr.getSubjectPublicKeyInfo().getEncoded();
    } catch (java.io.IOException e) {
      throw refused("The request's public key cannot be read");
    }
  }

  /** RFC 8894 2.2: the challengePassword, here the device's bootstrap token. */
  private static String challengePassword(PKCS10CertificationRequest csr) {
    var attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
    if (attributes.length == 1
        && attributes[0].getAttrValues().size() == 1
        && attributes[0].getAttrValues().getObjectAt(0) instanceof ASN1String password
        && !password.getString().isBlank()) {
      return password.getString();
    }
    throw refused("The request carries no challengePassword (the bootstrap token)");
  }

  /** The device's serial: the subject's serialNumber, or else its CN. */
  private static String serial(X500Name subject) {
    for (var type : List.of(BCStyle.SERIALNUMBER, BCStyle.CN)) {
      RDN[] rdns = subject.getRDNs(type);
      if (rdns.length == 1 && rdns[0].getFirst().getValue() instanceof ASN1String value) {
        String serial = value.getString().strip();
        if (!serial.isEmpty() && serial.length() <= 128) {
          return serial;
        }
      }
    }
    throw refused("The request's subject names no device serial (serialNumber or CN)");
  }

  private static ScepMessage.Refused refused(String why) {
    return new ScepMessage.Refused(ScepMessage.FailInfo.BAD_REQUEST, why);
  }

  private static byte[] decode(String message) {
    try {
      return Base64.getMimeDecoder().decode(message);
    } catch (IllegalArgumentException e) {
      throw new EmsException(
          ErrorCode.MALFORMED_REQUEST, "message is not a base64 SCEP message", "message");
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EmsException unavailable() {
    return new EmsException(
        ErrorCode.SERVICE_UNAVAILABLE, "The SCEP RA cannot be read right now; retry later");
  }
}
