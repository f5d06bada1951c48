package dev.ems.pki.issuance;

import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.CsrValidator.Csr;
import dev.ems.pki.system.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.springframework.stereotype.Service;

/**
 * Server-side key generation for devices that cannot make keys: the key pair exists only in this
 * method and in the password-protected PKCS#12 returned to the caller; it is never stored.
 */
@Service
class KeyStores {

  private final IssuanceService issuance;

  KeyStores(IssuanceService issuance) {
    this.issuance = issuance;
  }

  record KeyStoreResult(String serial, byte[] pkcs12) {}

  KeyStoreResult issue(String tenant, String name, KeyAlgorithm algorithm, char[] password) {
    EndEntity entity = issuance.requireOperatorEntity(tenant, name);
    KeyPair keys = algorithm.generate();
    try {
      var csr =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Principal(entity.subjectDn()), keys.getPublic())
              .build(
                  new JcaContentSignerBuilder(algorithm.signatureAlgorithm())
                      .build(keys.getPrivate()));
      byte[] der = csr.getEncoded();
      IssuanceService.Issued issued =
          issuance.issue(entity, new Csr(csr, keys.getPublic(), der), null);
      List<Certificate> chain = new ArrayList<>();
      chain.add(issued.certificate());
      chain.addAll(issued.chain());
      KeyStore p12 = KeyStore.getInstance("PKCS12");
      p12.load(null, null);
      p12.setKeyEntry(name, keys.getPrivate(), password, chain.toArray(Certificate[]::new));
      var out = new ByteArrayOutputStream();
      p12.store(out, password);
      return new KeyStoreResult(issued.record().serial(), out.toByteArray());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the PKCS#12 key store", e);
    }
  }
}
