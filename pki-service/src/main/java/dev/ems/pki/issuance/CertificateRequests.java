package dev.ems.pki.issuance;

import dev.ems.pki.system.Pem;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Request and response bodies of certificate issuance and search. */
final class CertificateRequests {

  private CertificateRequests() {}

  record IssueRequest(@NotBlank @Size(max = 20_000) String csr) {}

  record KeyStoreRequest(
      @NotBlank @Size(min = 8, max = 200) String password,
      @NotNull dev.ems.pki.system.KeyAlgorithm keyAlgorithm) {}

  record IssueResponse(
      String serial,
      String certificatePem,
      String chainPem,
      Instant notBefore,
      Instant notAfter,
      String fingerprintSha256) {

    static IssueResponse of(IssuanceService.Issued issued) {
      CertificateRecord r = issued.record();
      return new IssueResponse(
          r.serial(),
          Pem.certificate(r.der()),
          Pem.chain(issued.chain()),
          r.notBefore(),
          r.notAfter(),
          r.fingerprintSha256());
    }
  }

  record CertificateResponse(
      String serial,
      String entityName,
      String subjectDn,
      String issuerDn,
      String status,
      Instant notBefore,
      Instant notAfter,
      String fingerprintSha256,
      String revocationReason,
      Instant revokedAt,
      Instant issuedAt,
      String certificatePem) {

    static CertificateResponse of(CertificateRecord r) {
      return new CertificateResponse(
          r.serial(),
          r.entityName(),
          r.subjectDn(),
          r.issuerDn(),
          r.status(),
          r.notBefore(),
          r.notAfter(),
          r.fingerprintSha256(),
          r.revocationReason(),
          r.revokedAt(),
          r.issuedAt(),
          Pem.certificate(r.der()));
    }
  }
}
