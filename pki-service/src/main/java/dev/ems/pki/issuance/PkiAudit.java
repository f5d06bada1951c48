package dev.ems.pki.issuance;

import dev.ems.platform.audit.AuditEntry;
import dev.ems.platform.audit.AuditEntry.Actor;
import dev.ems.platform.audit.AuditTrail;
import dev.ems.platform.security.Caller;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Every PKI operation on the tenant's audit chain, in the transaction that made it: certificates
 * issued and revoked (by an operator, by a device's enrollment through device-api, or by the
 * service itself reacting to an event), end entities deleted. The record names the certificate
 * serial and carries its SHA-256 fingerprint as the digest.
 */
@Component
public class PkiAudit {

  private final AuditTrail trail;

  PkiAudit(AuditTrail trail) {
    this.trail = trail;
  }

  /**
   * Who is acting on this thread: the operator of the request, the device of an internal enrollment
   * call, otherwise pki-service itself (an event's consequence).
   */
  public static Actor currentActor(String deviceId) {
    var authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
      return Actor.operator(caller);
    }
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        && request.getRequest().getRequestURI().startsWith("/internal/")
        && deviceId != null) {
      return new Actor("DEVICE", deviceId, "enrollment through device-api");
    }
    return Actor.system("pki-service");
  }

  void issued(CertificateRecord c, Actor actor) {
    record(c, actor, "pki.certificate.issue");
  }

  public void revoked(CertificateRecord c, String reason, Actor actor) {
    record(c, actor, "pki.certificate.revoke." + reason);
  }

  public void endEntityDeleted(String tenant, String name, Actor actor) {
    trail.record(AuditEntry.of(tenant, actor, "pki.end-entity.delete", "end-entity/" + name, null));
  }

  private void record(CertificateRecord c, Actor actor, String action) {
    trail.record(
        AuditEntry.of(
            c.tenant(), actor, action, "certificate/" + c.serial(), c.fingerprintSha256()));
  }
}
