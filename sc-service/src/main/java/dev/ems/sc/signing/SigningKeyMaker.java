package dev.ems.sc.signing;

import dev.ems.common.signing.ConfigSignatures;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Makes an EC P-256 config-signing key and its PKCS#10 request. The subject is only a hint:
 * pki-service names the certificate itself (tenant, key id).
 */
final class SigningKeyMaker {

  /** A new key: its id, the private key as PKCS#8 base64 (to be sealed) and its CSR. */
  record NewKey(String keyId, String privateKeyPkcs8, String csrPem) {}

  private SigningKeyMaker() {}

  static NewKey make(String tenant) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      var subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, tenant)
              .addRDN(BCStyle.CN, "EMS config signing")
              .build();
      var csr =
          new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      String pem =
          "-----BEGIN CERTIFICATE REQUEST-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr.getEncoded())
              + "\n-----END CERTIFICATE REQUEST-----\n";
      return new NewKey(
          ConfigSignatures.kid(keys.getPublic()),
          Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()),
          pem);
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot make a config-signing key", e);
    }
  }

  static PrivateKey privateKey(String pkcs8) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a stored config-signing key does not load", e);
    }
  }
}
