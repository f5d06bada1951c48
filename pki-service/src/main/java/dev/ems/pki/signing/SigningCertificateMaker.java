package dev.ems.pki.signing;

import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.system.KeyAlgorithm;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A config-signing certificate from the tenant's own issuing CA (issue 19; the embedded hierarchy's
 * per-tenant CA, whatever the device back end), so that a tenant's signing chain runs through its
 * tenant's CA like its devices' certificates: subject {@code CN=EMS config signing,OU=<key
 * id>,O=<tenant>}, SAN URI {@code urn:ems:config-signing:<tenant>} (what binds the key to its
 * tenant), keyUsage digitalSignature (critical), extendedKeyUsage codeSigning — a bundle is code
 * the device runs — and no CA rights.
 */
final class SigningCertificateMaker {

  static final String SAN_PREFIX = "urn:ems:config-signing:";
  private static final SecureRandom random = new SecureRandom();
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private SigningCertificateMaker() {}

  static X509Certificate issue(
      IssuingCa ca, String tenant, String keyId, PublicKey key, Period validity, Instant now) {
    X509Certificate issuer = ca.certificate();
    Instant notAfter = now.atZone(ZoneOffset.UTC).plus(validity).toInstant();
    if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
      notAfter = issuer.getNotAfter().toInstant();
    }
    try {
      SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, tenant)
              .addRDN(BCStyle.OU, keyId)
              .addRDN(BCStyle.CN, "EMS config signing")
              .build();
      var builder =
          new X509v3CertificateBuilder(
                  X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  subject,
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(
                      new GeneralName(GeneralName.uniformResourceIdentifier, SAN_PREFIX + tenant)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  new SubjectKeyIdentifier(
                      MessageDigest.getInstance("SHA-1")
                          .digest(publicKey.getPublicKeyData().getBytes())))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(ca.key())).build(ca.key());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("the issuing CA failed to sign a config-signing key", e);
    }
  }

  private static BigInteger serial() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] = (byte) ((bytes[0] & 0x3f) | 0x40);
    return new BigInteger(bytes);
  }
}
