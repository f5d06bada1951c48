package dev.ems.pki.ca;

import dev.ems.pki.system.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds the CA certificates of the embedded hierarchy. */
final class CaCertificates {

  private static final SecureRandom random = new SecureRandom();

  private CaCertificates() {}

  static X509Certificate root(String dn, KeyPair keys, Instant from, ZonedDateTime to) {
    X500Principal subject = new X500Principal(dn);
    try {
      var ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(from),
                  Date.from(to.toInstant()),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the root CA", e);
    }
  }

  static X509Certificate subordinate(
      String dn,
      PublicKey key,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant from,
      ZonedDateTime to) {
    try {
      var ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  issuer.getSubjectX500Principal(),
                  serial(),
                  Date.from(from),
                  Date.from(to.toInstant()),
                  new X500Principal(dn),
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(issuer));
      return sign(builder, issuerKey);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the issuing CA", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws Exception {
    var signer = new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(key)).build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** A positive random serial of at most 16 octets (RFC 5280 allows 20). */
  static BigInteger serial() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x40; // fixed length keeps hex serials uniform
    return new BigInteger(bytes);
  }
}
