package dev.ems.pki.ca;

import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.KeyVault;
import dev.ems.pki.system.Pem;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.PlatformProperties;
import dev.ems.platform.audit.AuditEntry;
import dev.ems.platform.audit.AuditTrail;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded CA hierarchy: a root CA and an issuing CA, created on first start and loaded (keys
 * decrypted) on every start. Several instances may start at once, so creation runs under a
 * transaction-scoped advisory lock and re-checks for an existing hierarchy.
 */
@Component
public class CaHierarchy {

  public static final String ROOT = "root";
  public static final String ISSUING = "issuing";
  private static final Logger log = LoggerFactory.getLogger(CaHierarchy.class);

  private final X509Certificate root;
  private final X509Certificate issuing;
  private final PrivateKey issuingKey;
  private final PrivateKey rootKey;

  CaHierarchy(
      JdbcClient jdbc,
      TransactionTemplate tx,
      KeyVault vault,
      PkiProperties properties,
      Clock clock,
      AuditTrail audit,
      PlatformProperties platform) {
    tx.executeWithoutResult(
        status -> {
          jdbc.sql("select pg_advisory_xact_lock(hashtext('pki.ca-hierarchy'))").query().rowSet();
          if (jdbc.sql("select count(*) from ca").query(Long.class).single() == 0) {
            create(jdbc, vault, properties.ca(), clock.instant());
            // CA changes belong to the system tenant's chain
            audit.record(
                AuditEntry.of(
                    platform.bootstrapTenant(),
                    AuditEntry.Actor.system("pki-service"),
                    "pki.ca.create",
                    "ca/" + properties.ca().issuingDn(),
                    null));
          }
        });
    this.root = certificate(jdbc, ROOT);
    this.issuing = certificate(jdbc, ISSUING);
    this.issuingKey = key(jdbc, vault, ISSUING);
    // signs the tenants' issuing CAs (TenantCas), made on each tenant's first need
    this.rootKey = key(jdbc, vault, ROOT);
    log.info("CA hierarchy loaded: issuing CA {}", issuing.getSubjectX500Principal().getName());
  }

  private static void create(JdbcClient jdbc, KeyVault vault, PkiProperties.Ca ca, Instant now) {
    KeyAlgorithm algorithm = ca.algorithm();
    KeyPair rootKeys = algorithm.generate();
    X509Certificate root =
        CaCertificates.root(
            ca.rootDn(), rootKeys, now, now.atZone(ZoneOffset.UTC).plus(ca.rootValidity()));
    KeyPair issuingKeys = algorithm.generate();
    X509Certificate issuing =
        CaCertificates.subordinate(
            ca.issuingDn(),
            issuingKeys.getPublic(),
            root,
            rootKeys.getPrivate(),
            now,
            now.atZone(ZoneOffset.UTC).plus(ca.issuingValidity()));
    insert(jdbc, vault, ROOT, null, root, rootKeys.getPrivate());
    insert(jdbc, vault, ISSUING, ROOT, issuing, issuingKeys.getPrivate());
    log.info("created CA hierarchy ({}): {} <- {}", algorithm, ca.rootDn(), ca.issuingDn());
  }

  private static void insert(
      JdbcClient jdbc,
      KeyVault vault,
      String id,
      String parent,
      X509Certificate certificate,
      PrivateKey key) {
    jdbc.sql(
            "insert into ca (id, subject_dn, parent_id, certificate, key_algorithm, encrypted_key)"
                + " values (?, ?, ?, ?, ?, ?)")
        .params(
            id,
            certificate.getSubjectX500Principal().getName(),
            parent,
            Pem.der(certificate),
            key.getAlgorithm(),
            vault.seal(key, id))
        .update();
  }

  private static PrivateKey key(JdbcClient jdbc, KeyVault vault, String id) {
    return jdbc.sql("select encrypted_key, key_algorithm from ca where id = ?")
        .param(id)
        .query((rs, n) -> vault.open(rs.getBytes(1), id, rs.getString(2)))
        .single();
  }

  private static X509Certificate certificate(JdbcClient jdbc, String id) {
    return jdbc.sql("select certificate from ca where id = ?")
        .param(id)
        .query((rs, n) -> Pem.parse(rs.getBytes(1)))
        .single();
  }

  public X509Certificate root() {
    return root;
  }

  public X509Certificate issuing() {
    return issuing;
  }

  /** The issuing CA's private key; stays inside this service, never logged or returned. */
  public PrivateKey issuingKey() {
    return issuingKey;
  }

  /** The root's private key, for the tenants' CAs; never leaves the ca package. */
  PrivateKey rootKey() {
    return rootKey;
  }

  /** The shared issuing CA first, then the root. */
  public List<X509Certificate> chain() {
    return List.of(issuing, root);
  }

  public String issuerDn() {
    return issuing.getSubjectX500Principal().getName();
  }
}
