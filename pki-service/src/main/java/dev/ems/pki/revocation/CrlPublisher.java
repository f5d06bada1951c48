package dev.ems.pki.revocation;

import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.ca.CaHierarchy;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.PkiProperties;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes the issuing CA's CRL from the certificate table and stores it with the next CRL number. An
 * advisory lock serialises instances, so CRL numbers only ever grow.
 */
@Component
class CrlPublisher {

  private final JdbcClient jdbc;
  private final CaHierarchy cas;
  private final Clock clock;
  private final PkiProperties properties;

  CrlPublisher(JdbcClient jdbc, CaHierarchy cas, Clock clock, PkiProperties properties) {
    this.jdbc = jdbc;
    this.cas = cas;
    this.clock = clock;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${pki.crl-interval}", initialDelay = 0)
  @Transactional
  public void scheduled() {
    regenerate();
  }

  @Transactional(propagation = Propagation.REQUIRED)
  public byte[] regenerate() {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('pki.crl'))").query().rowSet();
    long number =
        jdbc.sql("select coalesce(max(crl_number), 0) + 1 from crl").query(Long.class).single();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant next = now.plus(properties.crlInterval().multipliedBy(2));
    try {
      var builder =
          new JcaX509v2CRLBuilder(cas.issuing().getSubjectX500Principal(), Date.from(now));
      builder.setNextUpdate(Date.from(next));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(cas.issuing()));
      jdbc.sql(
              "select serial, revoked_at, revocation_reason from certificate"
                  + " where status = 'REVOKED' and issuer_dn = ?")
          .param(cas.issuerDn())
          .query(
              rs -> {
                builder.addCRLEntry(
                    new BigInteger(rs.getString(1), 16),
                    rs.getTimestamp(2),
                    RevocationReason.valueOf(rs.getString(3)).code());
              });
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(cas.issuingKey()))
              .build(cas.issuingKey());
      byte[] der = builder.build(signer).getEncoded();
      jdbc.sql(
              "insert into crl (ca_id, crl_number, this_update, next_update, der)"
                  + " values (?, ?, ?, ?, ?) on conflict (ca_id) do update set"
                  + " crl_number = excluded.crl_number, this_update = excluded.this_update,"
                  + " next_update = excluded.next_update, der = excluded.der")
          .params(CaHierarchy.ISSUING, number, Timestamp.from(now), Timestamp.from(next), der)
          .update();
      return der;
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the CRL", e);
    }
  }

  /** The current CRL; made now if none exists yet. */
  @Transactional
  public byte[] current() {
    return jdbc.sql("select der from crl where ca_id = ?")
        .param(CaHierarchy.ISSUING)
        .query(byte[].class)
        .optional()
        .orElseGet(this::regenerate);
  }
}
