package dev.ems.pki.issuance;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.backend.IssuedCertificate;
import dev.ems.pki.endentity.EndEntities;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.CsrValidator.Csr;
import dev.ems.pki.revocation.RevocationService;
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
  private final RevocationService revocation;
  private final PkiProperties properties;

  IssuanceService(
      EndEntities entities,
      Certificates certificates,
      CertificateAuthority ca,
      CertificateWriter writer,
      RevocationService revocation,
      PkiProperties properties) {
    this.entities = entities;
    this.certificates = certificates;
    this.ca = ca;
    this.writer = writer;
    this.revocation = revocation;
    this.properties = properties;
  }

  /** A certificate with its chain (issuing CA first). */
  public record Issued(
      CertificateRecord record, X509Certificate certificate, List<X509Certificate> chain) {}

  /** Operator issuance: every call makes a new certificate; never for a device's entity. */
  public Issued issue(String tenant, String entityName, String csrPem) {
    EndEntity entity = requireOperatorEntity(tenant, entityName);
    return issue(entity, CsrValidator.parse(csrPem), null);
  }

  /**
   * The entity of that name that operators may issue for: a device's entity gets certificates only
   * by enrollment, where its bootstrap token is checked.
   */
  public EndEntity requireOperatorEntity(String tenant, String entityName) {
    EndEntity entity = entities.require(tenant, entityName);
    if (entity.isDevice()) {
      throw new EmsException(
          ErrorCode.CONFLICT,
          "A device's end entity gets certificates only by enrollment (POST /device/v1/enroll)",
          "name");
    }
    return entity;
  }

  /**
   * Decides whether a device may enroll this CSR: what the device presented (its bootstrap token)
   * is checked once the CSR is verified and before anything is issued. Throws to refuse.
   */
  @FunctionalInterface
  public interface EnrollmentGate {
    /**
     * @param issued whether this device already holds a valid certificate for exactly this CSR
     *     (which enrollment would then return)
     */
    void admit(EndEntity device, String csrSha256, boolean issued);
  }

  /**
   * Device enrollment, for an active device entity of exactly this tenant (made by the inventory)
   * that the gate admits. The same device with the same CSR gets the same (still valid)
   * certificate, so device-api may retry safely; the certificate supersedes every other certificate
   * of the device, so only the newest key counts.
   */
  public Issued enroll(String tenant, String entityName, String csrPem, EnrollmentGate gate) {
    return enroll(tenant, entityName, csrPem, gate, true);
  }

  /**
   * As {@link #enroll(String, String, String, EnrollmentGate)}; with {@code supersedeOthers} false
   * (a renewal) the device's other certificates stay valid until the new one is first used ({@link
   * RevocationService#supersedeOlderThan}).
   */
  public Issued enroll(
      String tenant,
      String entityName,
      String csrPem,
      EnrollmentGate gate,
      boolean supersedeOthers) {
    EndEntity entity =
        entities
            .findActiveDevice(tenant, entityName)
            .orElseThrow(() -> EmsException.notFound(ErrorCode.END_ENTITY_NOT_FOUND, entityName));
    Csr csr = CsrValidator.parse(csrPem);
    String csrSha = Pem.sha256Hex(csr.der());
    Issued issued;
    Optional<CertificateRecord> existing = certificates.findEnrollment(entity.id(), csrSha);
    gate.admit(entity, csrSha, existing.isPresent());
    if (existing.isPresent()) {
      issued = reload(existing.get());
    } else {
      try {
        issued = issue(entity, csr, csrSha);
      } catch (DuplicateKeyException raced) {
        issued = reload(certificates.findEnrollment(entity.id(), csrSha).orElseThrow(() -> raced));
      }
    }
    if (supersedeOthers) {
      // also on a retry: it completes an enrollment that stopped between issuing and superseding
      revocation.supersedeAllBut(entity, issued.record().serial());
    }
    return issued;
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
    List<X509Certificate> chain = ca.chainOf(record.tenant(), record.issuerDn());
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
