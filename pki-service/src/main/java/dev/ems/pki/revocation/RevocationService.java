package dev.ems.pki.revocation;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.CertificateEvents;
import dev.ems.pki.issuance.CertificateRecord;
import dev.ems.pki.issuance.Certificates;
import dev.ems.platform.web.EmsException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Revokes certificates: marks them, tells the back end, announces it and publishes a new CRL, all
 * in one transaction, so the next CRL and every OCSP answer after commit show the revocation.
 */
@Service
public class RevocationService {

  private final Certificates certificates;
  private final CertificateAuthority ca;
  private final CertificateEvents events;
  private final CrlPublisher crls;
  private final Clock clock;

  RevocationService(
      Certificates certificates,
      CertificateAuthority ca,
      CertificateEvents events,
      CrlPublisher crls,
      Clock clock) {
    this.certificates = certificates;
    this.ca = ca;
    this.events = events;
    this.crls = crls;
    this.clock = clock;
  }

  @Transactional
  public CertificateRecord revoke(String tenant, String serial, String reasonName) {
    RevocationReason reason =
        RevocationReason.parse(reasonName)
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.VALIDATION_FAILED,
                        "reason must be one of the RFC 5280 reasons: "
                            + List.of(RevocationReason.values()),
                        "reason"));
    CertificateRecord c =
        certificates
            .findForUpdate(tenant, serial)
            .orElseThrow(() -> EmsException.notFound(ErrorCode.CERTIFICATE_NOT_FOUND, serial));
    if (CertificateRecord.REVOKED.equals(c.status())) {
      throw new EmsException(
          ErrorCode.ALREADY_REVOKED,
          "Certificate " + serial + " was revoked at " + c.revokedAt(),
          "serial");
    }
    CertificateRecord revoked = revokeOne(c, reason);
    crls.regenerateFor(List.of(c.issuerDn()));
    return revoked;
  }

  /** Revokes every live certificate of an entity; the caller holds the transaction. */
  @Transactional
  public List<String> revokeAllOf(EndEntity entity, RevocationReason reason) {
    List<String> serials = new ArrayList<>();
    List<String> issuers = new ArrayList<>();
    for (CertificateRecord c : certificates.liveOf(entity.id())) {
      revokeOne(c, reason);
      serials.add(c.serial());
      issuers.add(c.issuerDn());
    }
    crls.regenerateFor(issuers);
    return serials;
  }

  /**
   * A device enrolled again: every other live certificate of its entity is superseded by {@code
   * current}, so only the newest key counts.
   */
  @Transactional
  public List<String> supersedeAllBut(EndEntity entity, String current) {
    List<String> serials = new ArrayList<>();
    List<String> issuers = new ArrayList<>();
    for (CertificateRecord c : certificates.liveOf(entity.id())) {
      if (!c.serial().equals(current)) {
        revokeOne(c, RevocationReason.superseded);
        serials.add(c.serial());
        issuers.add(c.issuerDn());
      }
    }
    crls.regenerateFor(issuers);
    return serials;
  }

  /**
   * The device used {@code current} (a renewed certificate) for the first time: every live
   * certificate of its entity issued before it is superseded; those issued after it are left alone
   * (issue 18: the old certificate counts until the new one is used).
   */
  @Transactional
  public List<String> supersedeOlderThan(CertificateRecord current) {
    List<String> serials = new ArrayList<>();
    List<String> issuers = new ArrayList<>();
    for (CertificateRecord c : certificates.liveOf(current.endEntityId())) {
      if (!c.serial().equals(current.serial()) && c.issuedAt().isBefore(current.issuedAt())) {
        revokeOne(c, RevocationReason.superseded);
        serials.add(c.serial());
        issuers.add(c.issuerDn());
      }
    }
    crls.regenerateFor(issuers);
    return serials;
  }

  private CertificateRecord revokeOne(CertificateRecord c, RevocationReason reason) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ca.revoke(c.issuerDn(), c.serial(), reason);
    certificates.markRevoked(c.serial(), reason.name(), at);
    events.revoked(c, reason.name(), at);
    return certificates.find(c.tenant(), c.serial()).orElseThrow();
  }
}
