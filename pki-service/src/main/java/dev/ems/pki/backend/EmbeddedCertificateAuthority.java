package dev.ems.pki.backend;

import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.PkiProperties;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
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
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The default back end: signs with the tenant's embedded issuing CA (issue 19; JDK providers do the
 * ECDSA/RSA work, BouncyCastle builds the structures). Registration and removal are local records
 * only, and the revocation state lives in pki-service's database, from which the CRL and OCSP
 * answers are made.
 */
@Component
@ConditionalOnProperty(name = "pki.backend", havingValue = "embedded", matchIfMissing = true)
class EmbeddedCertificateAuthority implements CertificateAuthority {

  private static final SecureRandom random = new SecureRandom();
  // tolerates devices whose clocks run a little behind
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final IssuingCas cas;
  private final Clock clock;
  private final String publicUrl;
  private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();
  private final Extension basicConstraints;
  private final Extension ecKeyUsage;
  private final Extension rsaKeyUsage;
  private final Extension extendedKeyUsage;
  private final Extension authorityInfoAccess;

  /**
   * What every certificate of one issuing CA shares, encoded once: its name, its key identifier and
   * its own CRL's URL ({@code /pki/v1/crl} for the shared CA, {@code /pki/v1/crl/<id>} for a
   * tenant's).
   */
  private record Issuer(
      IssuingCa ca,
      X500Name name,
      Instant notAfter,
      String signatureAlgorithm,
      Extension authorityKeyIdentifier,
      Extension crlDistributionPoints) {}

  EmbeddedCertificateAuthority(IssuingCas cas, PkiProperties properties, Clock clock) {
    this.cas = cas;
    this.clock = clock;
    this.publicUrl = properties.publicUrl();
    try {
      this.basicConstraints =
          new Extension(
              Extension.basicConstraints,
              true,
              new BasicConstraints(false).getEncoded(ASN1Encoding.DER));
      this.ecKeyUsage =
          new Extension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature).getEncoded(ASN1Encoding.DER));
      this.rsaKeyUsage =
          new Extension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                  .getEncoded(ASN1Encoding.DER));
      this.extendedKeyUsage =
          new Extension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_ipsecIKE
                      })
                  .getEncoded(ASN1Encoding.DER));
      // one responder URL for every issuing CA: an OCSP request names its issuer
      this.authorityInfoAccess =
          new Extension(
              Extension.authorityInfoAccess,
              false,
              new AuthorityInformationAccess(
                      new AccessDescription(
                          AccessDescription.id_ad_ocsp,
                          new GeneralName(
                              GeneralName.uniformResourceIdentifier,
                              properties.publicUrl() + "/pki/v1/ocsp")))
                  .getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the certificate extensions", e);
    }
  }

  private Issuer issuer(IssuingCa ca) {
    return issuers.computeIfAbsent(ca.id(), id -> encode(ca));
  }

  private Issuer encode(IssuingCa ca) {
    X509Certificate issuer = ca.certificate();
    try {
      return new Issuer(
          ca,
          X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
          issuer.getNotAfter().toInstant(),
          KeyAlgorithm.signatureAlgorithmFor(ca.key()),
          new Extension(
              Extension.authorityKeyIdentifier,
              false,
              new JcaX509ExtensionUtils()
                  .createAuthorityKeyIdentifier(issuer)
                  .getEncoded(ASN1Encoding.DER)),
          new Extension(
              Extension.cRLDistributionPoints,
              false,
              new CRLDistPoint(
                      new DistributionPoint[] {
                        new DistributionPoint(
                            new DistributionPointName(
                                new GeneralNames(
                                    new GeneralName(
                                        GeneralName.uniformResourceIdentifier,
                                        publicUrl + ca.crlPath()))),
                            null,
                            null)
                      })
                  .getEncoded(ASN1Encoding.DER)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the certificate extensions", e);
    }
  }

  @Override
  public void register(EndEntity entity) {}

  @Override
  public IssuedCertificate issue(
      EndEntity entity,
      PKCS10CertificationRequest csr,
      PublicKey key,
      java.time.Duration validity) {
    Issuer issuer = issuer(cas.forTenant(entity.tenant()));
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(issuer.notAfter())) {
      notAfter = issuer.notAfter();
    }
    try {
      SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      boolean rsa = "RSA".equals(key.getAlgorithm());
      var builder =
          new X509v3CertificateBuilder(
                  issuer.name(),
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  X500Name.getInstance(new X500Principal(entity.subjectDn()).getEncoded()),
                  publicKey)
              .addExtension(basicConstraints)
              .addExtension(rsa ? rsaKeyUsage : ecKeyUsage)
              .addExtension(extendedKeyUsage)
              .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(entity))
              .addExtension(Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(publicKey))
              .addExtension(issuer.authorityKeyIdentifier())
              .addExtension(issuer.crlDistributionPoints())
              .addExtension(authorityInfoAccess);
      var signer =
          new JcaContentSignerBuilder(issuer.signatureAlgorithm()).build(issuer.ca().key());
      X509Certificate certificate =
          new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new IssuedCertificate(certificate, issuer.ca().chain());
    } catch (Exception e) {
      throw new IllegalStateException("the embedded CA failed to sign", e);
    }
  }

  /** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits, as JcaX509ExtensionUtils makes it. */
  private static SubjectKeyIdentifier subjectKeyIdentifier(SubjectPublicKeyInfo key)
      throws GeneralSecurityException {
    return new SubjectKeyIdentifier(
        MessageDigest.getInstance("SHA-1").digest(key.getPublicKeyData().getBytes()));
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
    return cas.shared().chain();
  }

  @Override
  public List<X509Certificate> chain(String tenant) {
    return cas.forTenant(tenant).chain();
  }

  @Override
  public List<X509Certificate> chainOf(String tenant, String issuerDn) {
    return cas.bySubjectDn(issuerDn).map(IssuingCa::chain).orElseGet(() -> chain(tenant));
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
