package dev.ems.pki.issuance;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.CertificateExpiring;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import org.springframework.stereotype.Component;

/** Announces certificate changes through the outbox, in the transaction that made them. */
@Component
public class CertificateEvents {

  static final String SOURCE = "/pki-service/certificates";

  private final Outbox outbox;
  private final PkiAudit audit;

  CertificateEvents(Outbox outbox, PkiAudit audit) {
    this.outbox = outbox;
    this.audit = audit;
  }

  /** Issued on behalf of {@code actor} (captured on the requesting thread). */
  void issued(CertificateRecord c, dev.ems.platform.audit.AuditEntry.Actor actor) {
    audit.issued(c, actor);
    append(
        c,
        new CertificateIssued(
            c.deviceId(),
            c.serial(),
            c.issuerDn(),
            c.subjectDn(),
            c.fingerprintSha256(),
            c.notBefore(),
            c.notAfter()));
  }

  public void revoked(CertificateRecord c, String reason, java.time.Instant at) {
    audit.revoked(c, reason, PkiAudit.currentActor(idOf(c)));
    append(
        c,
        new CertificateRevoked(
            c.deviceId(), c.serial(), c.issuerDn(), c.fingerprintSha256(), reason, at));
  }

  public void expiring(CertificateRecord c) {
    append(
        c, new CertificateExpiring(c.deviceId(), c.serial(), c.fingerprintSha256(), c.notAfter()));
  }

  private static String idOf(CertificateRecord c) {
    return c.deviceId() == null ? null : c.deviceId().toString();
  }

  private void append(CertificateRecord c, Object payload) {
    outbox.append(
        Topics.PKI_CERTIFICATES,
        EventEnvelope.of(SOURCE, c.tenant(), c.deviceId().toString(), payload));
  }
}
