package dev.ems.pki;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Key pairs and PEM CSRs as devices make them. */
public final class TestCsrs {

  private TestCsrs() {}

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static PKCS10CertificationRequest request(KeyPair keys, String dn) {
    try {
      String alg =
          "EC".equals(keys.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaPKCS10CertificationRequestBuilder(new X500Principal(dn), keys.getPublic())
          .build(new JcaContentSignerBuilder(alg).build(keys.getPrivate()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(PKCS10CertificationRequest csr) {
    try (var out = new StringWriter();
        var writer = new JcaPEMWriter(out)) {
      writer.writeObject(csr);
      writer.flush();
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A P-256 CSR with a made-up subject the CA must ignore. */
  public static String p256(String dn) {
    return pem(request(ec("secp256r1"), dn));
  }

  /** The same CSR with one signature byte flipped: well-formed, but the signature fails. */
  public static String tampered() {
    try {
      byte[] der = request(ec("secp256r1"), "CN=tampered").getEncoded();
      der[der.length - 5] ^= 0x01;
      return pem(new PKCS10CertificationRequest(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
