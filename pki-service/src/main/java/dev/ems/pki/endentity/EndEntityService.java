package dev.ems.pki.endentity;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.endentity.EndEntityRequests.CreateEndEntityRequest;
import dev.ems.pki.issuance.PkiAudit;
import dev.ems.pki.revocation.RevocationService;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.web.EmsException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers end entities with the CA and removes them again. Device entities come from the
 * inventory only ({@link DeviceEventsListener}); an operator's entity never takes a name that is a
 * device's, of whatever tenant.
 */
@Service
public class EndEntityService {

  private final EndEntities entities;
  private final BootstrapTokens tokens;
  private final CertificateAuthority ca;
  private final RevocationService revocation;
  private final PkiProperties properties;
  private final Clock clock;
  private final PkiAudit audit;

  EndEntityService(
      EndEntities entities,
      BootstrapTokens tokens,
      CertificateAuthority ca,
      RevocationService revocation,
      PkiProperties properties,
      Clock clock,
      PkiAudit audit) {
    this.audit = audit;
    this.entities = entities;
    this.tokens = tokens;
    this.ca = ca;
    this.revocation = revocation;
    this.properties = properties;
    this.clock = clock;
  }

  /** An operator registers an entity. */
  @Transactional
  EndEntity create(String tenant, CreateEndEntityRequest request) {
    return register(tenant, request, EndEntity.OPERATOR, null);
  }

  /**
   * The tenant's operator entity of this name, registered with {@code subjectDn} on first use (the
   * management tunnel headend's entity, named by pki-service itself).
   */
  @Transactional
  public EndEntity operatorEntity(String tenant, String name, String subjectDn) {
    return entities
        .findActive(tenant, name)
        .orElseGet(
            () ->
                register(
                    tenant,
                    new CreateEndEntityRequest(name, subjectDn, DeviceEventsListener.PROFILE, null),
                    EndEntity.OPERATOR,
                    null));
  }

  /**
   * The inventory created a device in this tenant: its entity (kind DEVICE), or the tenant's entity
   * of that name made one. Idempotent; a decommissioned device is not registered again.
   */
  @Transactional
  void deviceCreated(String tenant, UUID deviceId, String serial, Instant at) {
    String name = deviceId.toString();
    if (entities.anyDevice(tenant, name)) {
      return;
    }
    Optional<EndEntity> sameName = entities.findActive(tenant, name);
    if (sameName.isPresent()) {
      // an operator's entity of the device's name becomes the device's with the device's subject,
      // and what was issued to it before never counts as the device: a certificate the operator
      // holds the key of must not authenticate as the device without its bootstrap token
      revocation.revokeAllOf(sameName.get(), RevocationReason.superseded);
      entities.markDevice(
          sameName.get().id(),
          serial,
          at,
          deviceSubject(tenant, name),
          DeviceEventsListener.PROFILE);
      return;
    }
    EndEntity entity =
        register(
            tenant,
            new CreateEndEntityRequest(
                name, deviceSubject(tenant, name), DeviceEventsListener.PROFILE, List.of()),
            EndEntity.DEVICE,
            serial);
    entities.serialChanged(entity.id(), serial, at);
  }

  /**
   * A device's inventory data changed. A new serial is an RMA: the device continues on other
   * hardware, so the old hardware's certificates are revoked (superseded). Only a newer event than
   * the one that set the serial counts, so a redelivered or replayed older event changes nothing.
   */
  @Transactional
  void deviceUpdated(String tenant, UUID deviceId, String serial, Instant at) {
    Optional<EndEntity> found = entities.findActiveDevice(tenant, deviceId.toString());
    if (found.isEmpty() || !entities.serialChanged(found.get().id(), serial, at)) {
      return;
    }
    EndEntity entity = found.get();
    if (entity.deviceSerial() != null && !entity.deviceSerial().equals(serial)) {
      revocation.revokeAllOf(entity, RevocationReason.superseded);
    }
  }

  /**
   * SC issued the device a bootstrap token (on creation, on request, on RMA); enrollment checks it
   * (docs/adr/0006). Only a newer token than the recorded one counts.
   */
  @Transactional
  void bootstrapTokenIssued(
      String tenant, UUID deviceId, String tokenSha256, Instant issuedAt, Instant expiresAt) {
    entities
        .findActiveDevice(tenant, deviceId.toString())
        .ifPresent(e -> tokens.issued(e.id(), tokenSha256, issuedAt, expiresAt));
  }

  private EndEntity register(
      String tenant, CreateEndEntityRequest request, String kind, String deviceSerial) {
    String dn;
    try {
      dn = new X500Principal(request.subjectDn()).getName();
    } catch (IllegalArgumentException e) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, "subjectDn is not an X.500 name", "subjectDn");
    }
    requireOwnOrganization(tenant, dn);
    if (!properties.profiles().containsKey(request.certificateProfile())) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED,
          "Unknown certificate profile; known: " + properties.profiles().keySet(),
          "certificateProfile");
    }
    String name = request.name().toLowerCase();
    if (EndEntity.DEVICE.equals(kind)
        ? entities.findActive(tenant, name).isPresent()
        : entities.nameTaken(tenant, name)) {
      throw duplicate(name);
    }
    EndEntity entity =
        new EndEntity(
            UUID.randomUUID(),
            tenant,
            name,
            dn,
            request.certificateProfile(),
            request.dnsNames() == null ? List.of() : List.copyOf(request.dnsNames()),
            "ACTIVE",
            clock.instant().truncatedTo(ChronoUnit.MICROS),
            null,
            kind,
            deviceSerial);
    try {
      entities.insert(entity);
    } catch (DuplicateKeyException e) {
      throw duplicate(name);
    }
    // last, so that a back end failure rolls the local row back
    ca.register(entity);
    return entity;
  }

  /**
   * A device's subject: {@code CN=<device id>,O=<tenant>}. The tenant's management tunnel headend
   * accepts only device certificates of its own tenant by matching {@code O} (swanctl {@code remote
   * id = "O=<tenant>, CN=*"}, docs in README "Management tunnel headend"), so {@code O} is set by
   * pki-service, never by the device's CSR, and an operator cannot name another tenant in it.
   */
  public static String deviceSubject(String tenant, String deviceId) {
    return tenantSubject(tenant, deviceId);
  }

  /**
   * A subject of the tenant's, {@code CN=<common name>,O=<tenant>} (RFC 2253 order; in the
   * certificate {@code O} comes first, and strongSwan writes it {@code O=<tenant>, CN=<common
   * name>}): the devices' and the management tunnel headend's ({@code CN=ems-mgmt}), which the
   * devices accept only with their own tenant in {@code O}.
   */
  public static String tenantSubject(String tenant, String commonName) {
    return "CN=" + Rdn.escapeValue(commonName) + ",O=" + Rdn.escapeValue(tenant);
  }

  /**
   * An {@code O} in an operator's subject names the tenant: only its own (see deviceSubject). Every
   * attribute of every RDN counts: a multi-valued RDN ({@code CN=ems-mgmt+O=other}) is one RDN to
   * Java but two RDNs, {@code O} possibly first, to strongSwan, which would match it against {@code
   * "O=other, CN=ems-mgmt"}.
   */
  private static void requireOwnOrganization(String tenant, String dn) {
    try {
      for (Rdn rdn : new LdapName(dn).getRdns()) {
        Attribute organization = rdn.toAttributes().get("O");
        if (organization == null) {
          continue;
        }
        for (int i = 0; i < organization.size(); i++) {
          if (!tenant.equals(String.valueOf(organization.get(i)))) {
            throw new EmsException(
                ErrorCode.VALIDATION_FAILED,
                "subjectDn: O names the tenant and must be " + tenant,
                "subjectDn");
          }
        }
      }
    } catch (NamingException e) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, "subjectDn is not an X.500 name", "subjectDn");
    }
  }

  /** Revokes the entity's live certificates (cessationOfOperation), then marks it deleted. */
  @Transactional
  List<String> delete(String tenant, String name) {
    EndEntity entity = entities.require(tenant, name);
    List<String> revoked = revocation.revokeAllOf(entity, RevocationReason.cessationOfOperation);
    entities.markDeleted(entity.id());
    ca.remove(entity);
    audit.endEntityDeleted(tenant, name, PkiAudit.currentActor(null));
    return revoked;
  }

  private static EmsException duplicate(String name) {
    return new EmsException(
        ErrorCode.DUPLICATE_END_ENTITY, "The name " + name + " is not available", "name");
  }
}
