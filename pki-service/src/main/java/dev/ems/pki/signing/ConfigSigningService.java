package dev.ems.pki.signing;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.ConfigSigningKeyRequested;
import dev.ems.common.event.ConfigSigningKeyRotationRequested;
import dev.ems.common.event.Topics;
import dev.ems.common.signing.ConfigSignatures;
import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.issuance.CsrValidator;
import dev.ems.pki.signing.SigningCertificates.SigningCertificate;
import dev.ems.pki.system.Pem;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.tenant.Tenants;
import dev.ems.platform.web.EmsException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Certifies the tenants' config-signing keys (issue 14.7, docs/adr/0011) and owns their rotation.
 * The key stays in sc-service; its CSR arrives as an event and the chain leaves as one, so signing
 * a config version never waits on this service. A request that cannot be honoured — malformed CSR,
 * a key that is not EC P-256 or not the named key id, a suspended tenant, a key id certified for
 * another tenant — is refused: {@link IllegalArgumentException}, which sends the record to the
 * dead-letter topic at once with the reason, and no certificate is made.
 */
@Service
class ConfigSigningService {

  private static final String SOURCE = "/pki-service/config-signing";
  private static final Logger log = LoggerFactory.getLogger(ConfigSigningService.class);

  private final IssuingCas cas;
  private final SigningCertificates certificates;
  private final Outbox outbox;
  private final Tenants tenants;
  private final Period validity;
  private final Clock clock;

  ConfigSigningService(
      IssuingCas cas,
      SigningCertificates certificates,
      Outbox outbox,
      Tenants tenants,
      @Value("${pki.config-signing-validity:P90D}") String validity,
      Clock clock) {
    this.cas = cas;
    this.certificates = certificates;
    this.outbox = outbox;
    this.tenants = tenants;
    this.validity = Period.parse(validity);
    this.clock = clock;
  }

  @Transactional
  public void keyRequested(String tenant, ConfigSigningKeyRequested request) {
    if (tenant == null || tenant.isBlank() || !tenant.equals(request.tenant())) {
      throw refused(request, "the request's tenant does not match its event's tenant");
    }
    if (request.keyId() == null || request.keyId().isBlank()) {
      throw refused(request, "the request names no key id");
    }
    if (!tenants.isActive(tenant)) {
      throw refused(request, "tenant " + tenant + " is suspended");
    }
    var existing = certificates.find(request.keyId());
    if (existing.isPresent()) {
      if (!existing.get().tenant().equals(tenant)) {
        throw refused(request, "the key id is certified for another tenant");
      }
      // a redelivered or repeated request: the same certificate again, so a lost answer recovers
      announce(existing.get());
      return;
    }
    CsrValidator.Csr csr;
    try {
      csr = CsrValidator.parse(request.csrPem());
    } catch (EmsException e) {
      throw refused(request, e.getMessage());
    }
    String keyId;
    try {
      keyId = ConfigSignatures.kid(csr.publicKey());
    } catch (IllegalArgumentException e) {
      throw refused(request, "a config-signing key must be EC P-256 (ES256)");
    }
    if (!keyId.equals(request.keyId())) {
      throw refused(request, "the CSR's key is not the key id it names");
    }
    Instant now = clock.instant();
    IssuingCa ca = cas.forTenant(tenant);
    X509Certificate certificate =
        SigningCertificateMaker.issue(ca, tenant, keyId, csr.publicKey(), validity, now);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(ca.chain());
    var issued =
        new SigningCertificate(
            keyId,
            tenant,
            certificate.getSerialNumber().toString(16),
            Pem.chain(chain),
            certificate.getNotBefore().toInstant(),
            certificate.getNotAfter().toInstant());
    if (certificates.insert(issued, now)) {
      log.info(
          "issued config-signing certificate {} for tenant {} key {}",
          issued.serial(),
          tenant,
          keyId);
      announce(issued);
    } else {
      // a concurrent delivery certified it first
      announce(certificates.find(keyId).orElseThrow());
    }
  }

  /** Asks sc-service for a new key of the tenant; the new key signs once it is certified. */
  @Transactional
  public UUID rotate(String tenant, String reason) {
    UUID rotationId = UUID.randomUUID();
    outbox.append(
        Topics.PKI_CONFIG_SIGNING,
        EventEnvelope.of(
            SOURCE,
            tenant,
            tenant,
            new ConfigSigningKeyRotationRequested(tenant, rotationId, reason, clock.instant())));
    log.info("asked for a new config-signing key of tenant {} ({})", tenant, reason);
    return rotationId;
  }

  /** Rotates every tenant whose newest certificate has lived two thirds of its lifetime. */
  @Transactional
  public int rotateAged(int limit) {
    List<String> due = certificates.claimDueForRotation(clock.instant(), limit);
    due.forEach(tenant -> rotate(tenant, "lifetime"));
    return due.size();
  }

  private void announce(SigningCertificate c) {
    outbox.append(
        Topics.PKI_CONFIG_SIGNING,
        EventEnvelope.of(
            SOURCE,
            c.tenant(),
            c.tenant(),
            new ConfigSigningCertificateIssued(
                c.tenant(), c.keyId(), c.serial(), c.chainPem(), c.notBefore(), c.notAfter())));
  }

  private static IllegalArgumentException refused(ConfigSigningKeyRequested r, String reason) {
    String message =
        "config-signing key " + r.keyId() + " of tenant " + r.tenant() + " refused: " + reason;
    log.warn(message);
    return new IllegalArgumentException(message);
  }
}
