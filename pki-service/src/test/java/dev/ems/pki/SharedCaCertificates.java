package dev.ems.pki;

import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.system.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A certificate as pki-service issued them before tenants had CAs of their own (issue 19): signed
 * by the shared issuing CA, naming {@code /pki/v1/crl}, stored as issuance stores it.
 */
public final class SharedCaCertificates {

  private SharedCaCertificates() {}

  /** Issues and stores one for the tenant's entity of that name; returns it. */
  public static X509Certificate issue(
      IssuingCas cas, JdbcClient jdbc, String tenant, String entityName, KeyPair keys)
      throws Exception {
    IssuingCa shared = cas.shared();
    var entity =
        jdbc.sql(
                "select id, subject_dn from end_entity where tenant_id = ? and name = ?"
                    + " and status = 'ACTIVE'")
            .params(tenant, entityName)
            .query((rs, n) -> new Object[] {rs.getObject(1), rs.getString(2)})
            .single();
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    serial[0] = (byte) ((serial[0] & 0x3f) | 0x40);
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                shared.certificate().getSubjectX500Principal(),
                new BigInteger(serial),
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(30))),
                new X500Principal((String) entity[1]),
                keys.getPublic())
            .addExtension(
                Extension.cRLDistributionPoints,
                false,
                new CRLDistPoint(
                    new DistributionPoint[] {
                      new DistributionPoint(
                          new DistributionPointName(
                              new GeneralNames(
                                  new GeneralName(
                                      GeneralName.uniformResourceIdentifier,
                                      "http://localhost:8084/pki/v1/crl"))),
                          null,
                          null)
                    }));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(shared.key())));
    byte[] der = certificate.getEncoded();
    jdbc.sql(
            "insert into certificate (serial, tenant_id, end_entity_id, entity_name, issuer_dn,"
                + " subject_dn, not_before, not_after, fingerprint_sha256, der, status)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'VALID')")
        .params(
            certificate.getSerialNumber().toString(16),
            tenant,
            (UUID) entity[0],
            entityName,
            certificate.getIssuerX500Principal().getName(),
            certificate.getSubjectX500Principal().getName(),
            Timestamp.from(certificate.getNotBefore().toInstant()),
            Timestamp.from(certificate.getNotAfter().toInstant()),
            Pem.sha256Hex(der),
            der)
        .update();
    return certificate;
  }
}
