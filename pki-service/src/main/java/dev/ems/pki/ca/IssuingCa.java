package dev.ems.pki.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CA that issues end-entity certificates: a tenant's own ({@code tenant} set, issue 19) or the
 * shared issuing CA of earlier releases ({@code tenant} null), whose certificates stay valid.
 *
 * @param id the CA's row id, also its CRL's path segment ({@code /pki/v1/crl/<id>})
 * @param chain this CA first, then the root
 */
public record IssuingCa(
    String id,
    String tenant,
    X509Certificate certificate,
    PrivateKey key,
    List<X509Certificate> chain) {

  public String subjectDn() {
    return certificate.getSubjectX500Principal().getName();
  }

  public boolean shared() {
    return tenant == null;
  }

  /**
   * Where pki-service publishes this CA's CRL, the distribution point its certificates name: the
   * shared CA's where it always was, a tenant CA's by its id.
   */
  public String crlPath() {
    return shared() ? "/pki/v1/crl" : "/pki/v1/crl/" + id;
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "IssuingCa[" + id + ", " + subjectDn() + "]";
  }
}
