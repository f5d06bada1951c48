package dev.ems.pki.issuance;

import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.CsrValidator.Csr;
import dev.ems.pki.system.KeyAlgorithm;
import java.security.KeyPair;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.springframework.stereotype.Service;

/**
 * Issuance for a key pair pki-service made (for holders that cannot make keys, and for bundles an
 * operator installs): the CSR is built and signed here with the new key, then issued like any
 * other. The private key is the caller's to hand over; it is never stored.
 */
@Service
public class GeneratedKeys {

  private final IssuanceService issuance;

  GeneratedKeys(IssuanceService issuance) {
    this.issuance = issuance;
  }

  /** A fresh key pair of {@code algorithm} and its certificate for the operator entity. */
  public record WithKey(KeyPair keys, IssuanceService.Issued issued) {}

  public WithKey issue(EndEntity entity, KeyAlgorithm algorithm) {
    KeyPair keys = algorithm.generate();
    try {
      var csr =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Principal(entity.subjectDn()), keys.getPublic())
              .build(
                  new JcaContentSignerBuilder(algorithm.signatureAlgorithm())
                      .build(keys.getPrivate()));
      return new WithKey(
          keys, issuance.issue(entity, new Csr(csr, keys.getPublic(), csr.getEncoded()), null));
    } catch (OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot sign the CSR with the generated key", e);
    }
  }
}
