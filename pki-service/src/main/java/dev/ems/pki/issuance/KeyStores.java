package dev.ems.pki.issuance;

import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.system.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Server-side key generation for devices that cannot make keys: the key pair exists only in this
 * method and in the password-protected PKCS#12 returned to the caller; it is never stored.
 */
@Service
class KeyStores {

  private final IssuanceService issuance;
  private final GeneratedKeys generatedKeys;

  KeyStores(IssuanceService issuance, GeneratedKeys generatedKeys) {
    this.issuance = issuance;
    this.generatedKeys = generatedKeys;
  }

  record KeyStoreResult(String serial, byte[] pkcs12) {}

  KeyStoreResult issue(String tenant, String name, KeyAlgorithm algorithm, char[] password) {
    EndEntity entity = issuance.requireOperatorEntity(tenant, name);
    GeneratedKeys.WithKey made = generatedKeys.issue(entity, algorithm);
    KeyPair keys = made.keys();
    IssuanceService.Issued issued = made.issued();
    try {
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
