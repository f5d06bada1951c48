package dev.ems.pki.ocsp;

import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.issuance.CertificateRecord;
import dev.ems.pki.issuance.Certificates;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.PkiProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.springframework.stereotype.Component;

/**
 * RFC 6960 responder for every issuing CA (the shared one and each tenant's, issue 19), each
 * signing its own answers with its CA key (no delegated responder certificate to manage). One
 * response is signed by one CA: the issuer of the first certificate asked about that EMS knows; the
 * others in the same request, of another issuer, unknown serials, answer "unknown".
 */
@Component
class OcspResponder {

  private static final int MAX_REQUESTS = 20;

  private final IssuingCas cas;
  private final Certificates certificates;
  private final Clock clock;
  private final PkiProperties properties;
  private final DigestCalculatorProvider digests;
  private final Map<String, X509CertificateHolder> holders = new ConcurrentHashMap<>();

  OcspResponder(IssuingCas cas, Certificates certificates, Clock clock, PkiProperties properties)
      throws Exception {
    this.cas = cas;
    this.certificates = certificates;
    this.clock = clock;
    this.properties = properties;
    this.digests = new JcaDigestCalculatorProviderBuilder().build();
  }

  private record Asked(CertificateID id, IssuingCa ca, CertificateRecord certificate) {}

  byte[] respond(byte[] encodedRequest) {
    OCSPReq request;
    try {
      request = new OCSPReq(encodedRequest);
    } catch (Exception | Error e) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST);
    }
    Req[] requests = request.getRequestList();
    if (requests.length == 0 || requests.length > MAX_REQUESTS) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST);
    }
    try {
      List<Asked> asked = new ArrayList<>();
      IssuingCa responder = null;
      for (Req req : requests) {
        Asked a = ask(req.getCertID());
        if (responder == null && a.ca() != null) {
          responder = a.ca();
        }
        asked.add(a);
      }
      if (responder == null) {
        responder = cas.shared();
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      BasicOCSPRespBuilder builder =
          new JcaBasicOCSPRespBuilder(
              responder.certificate().getPublicKey(), digests.get(CertificateID.HASH_SHA1));
      for (Asked a : asked) {
        builder.addResponse(
            a.id(),
            a.ca() == responder ? statusOf(a.certificate()) : new UnknownStatus(),
            Date.from(now),
            Date.from(now.plus(properties.crlInterval())),
            (Extensions) null);
      }
      var nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        builder.setResponseExtensions(new Extensions(nonce));
      }
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(responder.key()))
              .build(responder.key());
      var basic =
          builder.build(signer, new X509CertificateHolder[] {holder(responder)}, Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (Exception e) {
      return status(OCSPRespBuilder.INTERNAL_ERROR);
    }
  }

  /** The certificate EMS knows by this serial and the CA that issued it, if the id names it. */
  private Asked ask(CertificateID id) throws Exception {
    Optional<CertificateRecord> found =
        certificates.findAnyTenant(id.getSerialNumber().toString(16));
    if (found.isEmpty()) {
      return new Asked(id, null, null);
    }
    Optional<IssuingCa> ca = cas.bySubjectDn(found.get().issuerDn());
    if (ca.isEmpty() || !id.matchesIssuer(holder(ca.get()), digests)) {
      return new Asked(id, null, null);
    }
    return new Asked(id, ca.get(), found.get());
  }

  private X509CertificateHolder holder(IssuingCa ca) {
    return holders.computeIfAbsent(
        ca.id(),
        i -> {
          try {
            return new JcaX509CertificateHolder(ca.certificate());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static CertificateStatus statusOf(CertificateRecord c) {
    if (CertificateRecord.REVOKED.equals(c.status())) {
      return new RevokedStatus(
          Date.from(c.revokedAt()), RevocationReason.valueOf(c.revocationReason()).code());
    }
    return CertificateStatus.GOOD;
  }

  private static byte[] status(int status) {
    try {
      return new OCSPRespBuilder().build(status, null).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
