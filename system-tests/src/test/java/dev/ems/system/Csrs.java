package dev.ems.system;

import java.io.StringWriter;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 requests as an operator's tooling makes them (as pki-service's TestCsrs). */
final class Csrs {

  private Csrs() {}

  /** A PEM CSR for a fresh EC P-256 key. */
  static String p256(String dn) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      var keys = generator.generateKeyPair();
      var csr =
          new JcaPKCS10CertificationRequestBuilder(new X500Principal(dn), keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      try (var out = new StringWriter();
          var writer = new JcaPEMWriter(out)) {
        writer.writeObject(csr);
        writer.flush();
        return out.toString();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
