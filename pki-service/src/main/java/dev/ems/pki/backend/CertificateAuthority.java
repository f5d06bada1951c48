package dev.ems.pki.backend;

import dev.ems.pki.endentity.EndEntity;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A CA back end: the embedded BouncyCastle CA ({@link EmbeddedCertificateAuthority}, the default)
 * or PrimeKey EJBCA over its REST API. pki-service keeps its own record of entities and
 * certificates either way; the back end only registers, signs and revokes.
 */
public interface CertificateAuthority {

  /** Registers the device as an end entity with the CA. */
  void register(EndEntity entity);

  /**
   * Issues a certificate for a verified CSR. Subject and SAN come from the entity, never from the
   * CSR; only the CSR's public key is used.
   */
  IssuedCertificate issue(
      EndEntity entity, PKCS10CertificationRequest csr, PublicKey key, Duration validity);

  /** Revokes a certificate at the CA. */
  void revoke(String issuerDn, String serialHex, RevocationReason reason);

  /**
   * The chain a device gets before it is known (EST {@code cacerts}, SCEP {@code GetCACert}, the
   * operator's {@code /api/v1/cas/issuing/chain}): the shared issuing CA, then the root. It names
   * no tenant; a tenant's own CA comes with the device's certificate ({@link #chain(String)}).
   */
  List<X509Certificate> chain();

  /**
   * The chain of the CA that issues this tenant's certificates (issue 19), its issuing CA first:
   * with the embedded CA the tenant's own intermediate, then the root.
   */
  List<X509Certificate> chain(String tenant);

  /**
   * The chain of the CA that issued a stored certificate of the tenant, by its issuer's DN: the
   * tenant's CA, or the shared one of certificates issued before tenants had their own.
   */
  default List<X509Certificate> chainOf(String tenant, String issuerDn) {
    return chain(tenant);
  }

  /** Removes the end entity from the CA (its certificates were revoked before). */
  void remove(EndEntity entity);
}
