package dev.ems.pki.system;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key types the embedded CA makes for itself and for server-side key generation. */
public enum KeyAlgorithm {
  EC_P256("SHA256withECDSA"),
  RSA_2048("SHA256withRSA"),
  RSA_3072("SHA256withRSA"),
  RSA_4096("SHA256withRSA");

  private final String signatureAlgorithm;

  KeyAlgorithm(String signatureAlgorithm) {
    this.signatureAlgorithm = signatureAlgorithm;
  }

  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public KeyPair generate() {
    try {
      if (this == EC_P256) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(Integer.parseInt(name().substring(4)));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + this + " key", e);
    }
  }

  /** The signature algorithm a CA key of this kind signs with. */
  public static String signatureAlgorithmFor(java.security.PrivateKey key) {
    return "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
  }
}
