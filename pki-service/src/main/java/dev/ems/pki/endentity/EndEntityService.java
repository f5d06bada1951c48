package dev.ems.pki.endentity;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.endentity.EndEntityRequests.CreateEndEntityRequest;
import dev.ems.pki.revocation.RevocationService;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.web.EmsException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers devices with the CA and removes them again. */
@Service
class EndEntityService {

  private final EndEntities entities;
  private final CertificateAuthority ca;
  private final RevocationService revocation;
  private final PkiProperties properties;
  private final Clock clock;

  EndEntityService(
      EndEntities entities,
      CertificateAuthority ca,
      RevocationService revocation,
      PkiProperties properties,
      Clock clock) {
    this.entities = entities;
    this.ca = ca;
    this.revocation = revocation;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  EndEntity create(String tenant, CreateEndEntityRequest request) {
    String dn;
    try {
      dn = new X500Principal(request.subjectDn()).getName();
    } catch (IllegalArgumentException e) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, "subjectDn is not an X.500 name", "subjectDn");
    }
    if (!properties.profiles().containsKey(request.certificateProfile())) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED,
          "Unknown certificate profile; known: " + properties.profiles().keySet(),
          "certificateProfile");
    }
    String name = request.name().toLowerCase();
    if (entities.findActive(tenant, name).isPresent()) {
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
            null);
    try {
      entities.insert(entity);
    } catch (DuplicateKeyException e) {
      throw duplicate(name);
    }
    // last, so that a back end failure rolls the local row back
    ca.register(entity);
    return entity;
  }

  /** Revokes the entity's live certificates (cessationOfOperation), then marks it deleted. */
  @Transactional
  List<String> delete(String tenant, String name) {
    EndEntity entity = entities.require(tenant, name);
    List<String> revoked = revocation.revokeAllOf(entity, RevocationReason.cessationOfOperation);
    entities.markDeleted(entity.id());
    ca.remove(entity);
    return revoked;
  }

  private static EmsException duplicate(String name) {
    return new EmsException(
        ErrorCode.DUPLICATE_END_ENTITY, "An end entity named " + name + " already exists", "name");
  }
}
