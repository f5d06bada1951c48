package dev.ems.pki.ocsp;

import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.ca.CaHierarchy;
import dev.ems.pki.issuance.CertificateRecord;
import dev.ems.pki.issuance.Certificates;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.PkiProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
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
 * RFC 6960 responder for the issuing CA, signing with the CA key itself (no delegated responder
 * certificate to manage). Certificates of another issuer, or unknown serials, answer "unknown".
 */
@Component
class OcspResponder {

  private static final int MAX_REQUESTS = 20;

  private final CaHierarchy cas;
  private final Certificates certificates;
  private final Clock clock;
  private final PkiProperties properties;
  private final X509CertificateHolder issuer;
  private final DigestCalculatorProvider digests;

  OcspResponder(CaHierarchy cas, Certificates certificates, Clock clock, PkiProperties properties)
      throws Exception {
    this.cas = cas;
    this.certificates = certificates;
    this.clock = clock;
    this.properties = properties;
    this.issuer = new JcaX509CertificateHolder(cas.issuing());
    this.digests = new JcaDigestCalculatorProviderBuilder().build();
  }

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
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      BasicOCSPRespBuilder builder =
          new JcaBasicOCSPRespBuilder(
              cas.issuing().getPublicKey(), digests.get(CertificateID.HASH_SHA1));
      for (Req req : requests) {
        CertificateID id = req.getCertID();
        builder.addResponse(
            id,
            statusOf(id),
            Date.from(now),
            Date.from(now.plus(properties.crlInterval())),
            (Extensions) null);
      }
      var nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        builder.setResponseExtensions(new Extensions(nonce));
      }
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(cas.issuingKey()))
              .build(cas.issuingKey());
      var basic = builder.build(signer, new X509CertificateHolder[] {issuer}, Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (Exception e) {
      return status(OCSPRespBuilder.INTERNAL_ERROR);
    }
  }

  private CertificateStatus statusOf(CertificateID id) throws Exception {
    if (!id.matchesIssuer(issuer, digests)) {
      return new UnknownStatus();
    }
    Optional<CertificateRecord> found =
        certificates.findAnyTenant(id.getSerialNumber().toString(16));
    if (found.isEmpty() || !found.get().issuerDn().equals(cas.issuerDn())) {
      return new UnknownStatus();
    }
    CertificateRecord c = found.get();
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
