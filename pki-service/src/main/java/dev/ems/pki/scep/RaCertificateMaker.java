package dev.ems.pki.scep;

import dev.ems.pki.ca.CaHierarchy;
import dev.ems.pki.system.KeyAlgorithm;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The SCEP RA certificate (RFC 8894 2.1.2) from the suite's issuing CA: {@code CN=EMS SCEP RA},
 * keyUsage digitalSignature (it signs CertRep) and keyEncipherment (devices encrypt their requests
 * to it: SCEP clients speak RSA key transport only), no CA rights, no extended key usage.
 */
final class RaCertificateMaker {

  static final String SUBJECT = "CN=EMS SCEP RA";
  private static final SecureRandom random = new SecureRandom();
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private RaCertificateMaker() {}

  static X509Certificate issue(CaHierarchy cas, PublicKey key, Duration validity, Instant now) {
    X509Certificate issuer = cas.issuing();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
      notAfter = issuer.getNotAfter().toInstant();
    }
    try {
      var extensions = new JcaX509ExtensionUtils();
      var builder =
          new JcaX509v3CertificateBuilder(
                  X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  new X500Name(SUBJECT),
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(issuer));
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(cas.issuingKey()))
              .build(cas.issuingKey());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("the issuing CA failed to sign the SCEP RA certificate", e);
    }
  }

  private static BigInteger serial() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] = (byte) ((bytes[0] & 0x3f) | 0x40);
    return new BigInteger(bytes);
  }
}
