package dev.ems.pki.ca;

import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.KeyVault;
import dev.ems.pki.system.Pem;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.audit.AuditEntry;
import dev.ems.platform.audit.AuditTrail;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CAs that issue end-entity certificates (issue 19): an issuing CA per tenant, signed by EMS's
 * root and made on the tenant's first need, and the shared issuing CA of earlier releases, whose
 * certificates stay valid (revocation, CRL, OCSP) until they are renewed, which moves them to their
 * tenant's CA. A tenant CA's key is sealed like the other CA keys (KeyVault, its row id bound). Two
 * replicas making the same tenant's CA at once both insert; the unique index on {@code tenant_id}
 * lets one win ({@code on conflict do nothing}) and both then use the winner's row. Loaded CAs are
 * kept in memory: a CA row never changes.
 */
@Component
public class IssuingCas {

  private static final Logger log = LoggerFactory.getLogger(IssuingCas.class);

  private final CaHierarchy hierarchy;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final KeyVault vault;
  private final PkiProperties properties;
  private final Clock clock;
  private final AuditTrail audit;
  private final IssuingCa shared;
  private final Map<String, IssuingCa> byTenant = new ConcurrentHashMap<>();
  private final Map<String, Optional<IssuingCa>> byId = new ConcurrentHashMap<>();
  private final Map<String, IssuingCa> bySubject = new ConcurrentHashMap<>();

  IssuingCas(
      CaHierarchy hierarchy,
      JdbcClient jdbc,
      TransactionTemplate tx,
      KeyVault vault,
      PkiProperties properties,
      Clock clock,
      AuditTrail audit) {
    this.hierarchy = hierarchy;
    this.jdbc = jdbc;
    // its own transaction even when asked inside another: a CA the cache holds must be committed,
    // whatever becomes of the caller's work
    this.tx = new TransactionTemplate(tx.getTransactionManager());
    this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    this.vault = vault;
    this.properties = properties;
    this.clock = clock;
    this.audit = audit;
    this.shared =
        new IssuingCa(
            CaHierarchy.ISSUING,
            null,
            hierarchy.issuing(),
            hierarchy.issuingKey(),
            hierarchy.chain());
    byId.put(shared.id(), Optional.of(shared));
    bySubject.put(shared.subjectDn(), shared);
  }

  /** The shared issuing CA of earlier releases (its certificates stay valid). */
  public IssuingCa shared() {
    return shared;
  }

  public X509Certificate root() {
    return hierarchy.root();
  }

  /** The tenant's issuing CA, made now if the tenant has none yet. */
  public IssuingCa forTenant(String tenant) {
    IssuingCa known = byTenant.get(tenant);
    return known != null ? known : byTenant.computeIfAbsent(tenant, this::loadOrCreate);
  }

  /** The CA of this row id (a CRL's path segment); empty for an unknown one. */
  public Optional<IssuingCa> byId(String id) {
    Optional<IssuingCa> known = byId.get(id);
    if (known != null && known.isPresent()) {
      return known;
    }
    Optional<IssuingCa> loaded = load("id = ?", id);
    loaded.ifPresent(ca -> bySubject.put(ca.subjectDn(), ca));
    loaded.ifPresent(ca -> byId.put(ca.id(), loaded));
    return loaded;
  }

  /** The CA whose subject is this DN (as a certificate record's issuer_dn); empty if none. */
  public Optional<IssuingCa> bySubjectDn(String dn) {
    IssuingCa known = bySubject.get(dn);
    if (known != null) {
      return Optional.of(known);
    }
    return load("subject_dn = ? and tenant_id is not null", dn).map(this::remember);
  }

  /** Every issuing CA, the shared one first (the scheduled CRLs). */
  public List<IssuingCa> all() {
    List<String> ids =
        jdbc.sql("select id from ca where tenant_id is not null order by created_at")
            .query(String.class)
            .list();
    var all = new java.util.ArrayList<IssuingCa>();
    all.add(shared);
    ids.forEach(id -> byId(id).ifPresent(all::add));
    return all;
  }

  /**
   * A new tenant CA's row id, random: it is the CA's public CRL path, and probing it must not tell
   * whether a tenant exists (the CA's certificate, which names the tenant, is shown only to its
   * tenant's devices and operators).
   */
  static String newId() {
    return "tenant-" + UUID.randomUUID();
  }

  /** {@code CN=EMS Issuing CA,OU=<tenant>,O=EMS}, escaped as RFC 4514 wants. */
  static String subjectDnOf(String tenant) {
    var name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "EMS")
            .addRDN(BCStyle.OU, tenant)
            .addRDN(BCStyle.CN, "EMS Issuing CA")
            .build();
    try {
      return new X500Principal(name.getEncoded()).getName();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private IssuingCa remember(IssuingCa ca) {
    byTenant.putIfAbsent(ca.tenant(), ca);
    byId.put(ca.id(), Optional.of(ca));
    bySubject.put(ca.subjectDn(), ca);
    return ca;
  }

  private IssuingCa loadOrCreate(String tenant) {
    Optional<IssuingCa> existing = load("tenant_id = ?", tenant);
    if (existing.isPresent()) {
      byId.put(existing.get().id(), existing);
      bySubject.put(existing.get().subjectDn(), existing.get());
      return existing.get();
    }
    String id = newId();
    String dn = subjectDnOf(tenant);
    KeyAlgorithm algorithm = properties.ca().algorithm();
    KeyPair keys = algorithm.generate();
    Instant now = clock.instant();
    X509Certificate root = hierarchy.root();
    ZonedDateTime notAfter = now.atZone(ZoneOffset.UTC).plus(properties.ca().issuingValidity());
    if (notAfter.toInstant().isAfter(root.getNotAfter().toInstant())) {
      notAfter = root.getNotAfter().toInstant().atZone(ZoneOffset.UTC);
    }
    X509Certificate certificate =
        CaCertificates.subordinate(dn, keys.getPublic(), root, hierarchy.rootKey(), now, notAfter);
    Boolean inserted =
        tx.execute(
            status -> {
              int rows =
                  jdbc.sql(
                          "insert into ca (id, subject_dn, parent_id, certificate, key_algorithm,"
                              + " encrypted_key, tenant_id) values (?, ?, ?, ?, ?, ?, ?)"
                              + " on conflict do nothing")
                      .params(
                          id,
                          dn,
                          CaHierarchy.ROOT,
                          Pem.der(certificate),
                          keys.getPrivate().getAlgorithm(),
                          vault.seal(keys.getPrivate(), id),
                          tenant)
                      .update();
              if (rows == 1) {
                audit.record(
                    AuditEntry.of(
                        tenant,
                        AuditEntry.Actor.system("pki-service"),
                        "pki.ca.create",
                        "ca/" + id,
                        null));
              }
              return rows == 1;
            });
    if (Boolean.TRUE.equals(inserted)) {
      log.info("created the issuing CA of tenant {}: {}", tenant, dn);
    }
    // ours, or the one another replica inserted first
    IssuingCa ca = load("tenant_id = ?", tenant).orElseThrow();
    byId.put(ca.id(), Optional.of(ca));
    bySubject.put(ca.subjectDn(), ca);
    return ca;
  }

  private Optional<IssuingCa> load(String where, String value) {
    return jdbc
        .sql(
            "select id, tenant_id, certificate, key_algorithm, encrypted_key from ca where "
                + where)
        .param(value)
        .query(
            (rs, n) -> {
              String id = rs.getString(1);
              X509Certificate certificate = Pem.parse(rs.getBytes(3));
              if (CaHierarchy.ROOT.equals(id)) {
                return null;
              }
              if (CaHierarchy.ISSUING.equals(id)) {
                return shared;
              }
              return new IssuingCa(
                  id,
                  rs.getString(2),
                  certificate,
                  vault.open(rs.getBytes(5), id, rs.getString(4)),
                  List.of(certificate, hierarchy.root()));
            })
        .list() // not stream(): an unclosed stream would keep its connection
        .stream()
        .filter(java.util.Objects::nonNull)
        .findFirst();
  }
}
