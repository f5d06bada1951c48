package dev.ems.pki.backend;

import dev.ems.pki.ca.CaHierarchy;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.PkiProperties;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The default back end: signs with the embedded issuing CA (JDK providers do the ECDSA/RSA work;
 * BouncyCastle builds the structures). Registration and removal are local records only, and the
 * revocation state lives in pki-service's database, from which the CRL and OCSP answers are made.
 */
@Component
@ConditionalOnProperty(name = "pki.backend", havingValue = "embedded", matchIfMissing = true)
class EmbeddedCertificateAuthority implements CertificateAuthority {

  private static final SecureRandom random = new SecureRandom();
  // tolerates devices whose clocks run a little behind
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final CaHierarchy cas;
  private final Clock clock;
  private final String crlUrl;
  private final String ocspUrl;

  EmbeddedCertificateAuthority(CaHierarchy cas, PkiProperties properties, Clock clock) {
    this.cas = cas;
    this.clock = clock;
    this.crlUrl = properties.publicUrl() + "/pki/v1/crl";
    this.ocspUrl = properties.publicUrl() + "/pki/v1/ocsp";
  }

  @Override
  public void register(EndEntity entity) {}

  @Override
  public IssuedCertificate issue(
      EndEntity entity, PKCS10CertificationRequest csr, PublicKey key, Period validity) {
    X509Certificate issuer = cas.issuing();
    Instant now = clock.instant();
    Instant notAfter = now.atZone(ZoneOffset.UTC).plus(validity).toInstant();
    if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
      notAfter = issuer.getNotAfter().toInstant();
    }
    try {
      var ext = new JcaX509ExtensionUtils();
      boolean rsa = "RSA".equals(key.getAlgorithm());
      var builder =
          new JcaX509v3CertificateBuilder(
                  issuer.getSubjectX500Principal(),
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  new javax.security.auth.x500.X500Principal(entity.subjectDn()),
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      rsa
                          ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                          : KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecIKE
                      }))
              .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(entity))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
              .addExtension(
                  Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer))
              .addExtension(
                  Extension.cRLDistributionPoints,
                  false,
                  new CRLDistPoint(
                      new DistributionPoint[] {
                        new DistributionPoint(
                            new DistributionPointName(
                                new GeneralNames(
                                    new GeneralName(
                                        GeneralName.uniformResourceIdentifier, crlUrl))),
                            null,
                            null)
                      }))
              .addExtension(
                  Extension.authorityInfoAccess,
                  false,
                  new AuthorityInformationAccess(
                      new AccessDescription(
                          AccessDescription.id_ad_ocsp,
                          new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl))));
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(cas.issuingKey()))
              .build(cas.issuingKey());
      X509Certificate certificate =
          new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new IssuedCertificate(certificate, cas.chain());
    } catch (Exception e) {
      throw new IllegalStateException("the embedded CA failed to sign", e);
    }
  }

  private static GeneralNames subjectAltNames(EndEntity entity) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:uuid:" + entity.name()));
    entity.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  @Override
  public void revoke(String issuerDn, String serialHex, RevocationReason reason) {}

  @Override
  public List<X509Certificate> chain() {
    return cas.chain();
  }

  @Override
  public void remove(EndEntity entity) {}

  /** Positive random 128-bit serial, fixed length. */
  private static BigInteger serial() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] = (byte) ((bytes[0] & 0x3f) | 0x40);
    return new BigInteger(bytes);
  }
}
