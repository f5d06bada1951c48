package dev.ems.pki.issuance;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.backend.IssuedCertificate;
import dev.ems.pki.endentity.EndEntities;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.CsrValidator.Csr;
import dev.ems.pki.system.Pem;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.web.EmsException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Issues certificates from verified CSRs. The expensive work (signature check, signing) runs in the
 * caller's thread; {@link CertificateWriter} stores the result with its event in group commits.
 */
@Service
public class IssuanceService {

  private final EndEntities entities;
  private final Certificates certificates;
  private final CertificateAuthority ca;
  private final CertificateWriter writer;
  private final PkiProperties properties;

  IssuanceService(
      EndEntities entities,
      Certificates certificates,
      CertificateAuthority ca,
      CertificateWriter writer,
      PkiProperties properties) {
    this.entities = entities;
    this.certificates = certificates;
    this.ca = ca;
    this.writer = writer;
    this.properties = properties;
  }

  /** A certificate with its chain (issuing CA first). */
  public record Issued(
      CertificateRecord record, X509Certificate certificate, List<X509Certificate> chain) {}

  /** Operator issuance: every call makes a new certificate. */
  public Issued issue(String tenant, String entityName, String csrPem) {
    EndEntity entity = entities.require(tenant, entityName);
    return issue(entity, CsrValidator.parse(csrPem), null);
  }

  /**
   * Device enrollment: the same device with the same CSR gets the same (still valid) certificate,
   * so device-api may retry safely.
   */
  public Issued enroll(String tenant, String entityName, String csrPem) {
    EndEntity entity = entities.require(tenant, entityName);
    Csr csr = CsrValidator.parse(csrPem);
    String csrSha = Pem.sha256Hex(csr.der());
    Optional<CertificateRecord> existing = certificates.findEnrollment(entity.id(), csrSha);
    if (existing.isPresent()) {
      return reload(existing.get());
    }
    try {
      return issue(entity, csr, csrSha);
    } catch (DuplicateKeyException raced) {
      return reload(certificates.findEnrollment(entity.id(), csrSha).orElseThrow(() -> raced));
    }
  }

  Issued issue(EndEntity entity, Csr csr, String enrollmentCsrSha) {
    PkiProperties.Profile profile = properties.profiles().get(entity.certificateProfile());
    if (profile == null) {
      throw new EmsException(
          ErrorCode.CONFLICT,
          "The entity's certificate profile " + entity.certificateProfile() + " no longer exists",
          "certificateProfile");
    }
    IssuedCertificate issued = ca.issue(entity, csr.request(), csr.publicKey(), profile.validity());
    CertificateRecord record = toRecord(entity, issued.certificate());
    if (!writer.store(record, enrollmentCsrSha)) {
      throw EmsException.notFound(ErrorCode.END_ENTITY_NOT_FOUND, entity.name());
    }
    return new Issued(record, issued.certificate(), issued.chain());
  }

  private Issued reload(CertificateRecord record) {
    List<X509Certificate> chain = ca.chain();
    return new Issued(record, Pem.parse(record.der()), chain);
  }

  static CertificateRecord toRecord(EndEntity entity, X509Certificate c) {
    byte[] der = Pem.der(c);
    return new CertificateRecord(
        c.getSerialNumber().toString(16),
        entity.tenant(),
        entity.id(),
        entity.name(),
        c.getIssuerX500Principal().getName(),
        c.getSubjectX500Principal().getName(),
        c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant(),
        Pem.sha256Hex(der),
        der,
        CertificateRecord.VALID,
        null,
        null,
        null);
  }
}
