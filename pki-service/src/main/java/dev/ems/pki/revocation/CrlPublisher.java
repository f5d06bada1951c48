package dev.ems.pki.revocation;

import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.PkiProperties;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.Optional;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes each issuing CA's CRL (the shared CA's and every tenant's, issue 19) from the certificate
 * table and stores it with the CA's next CRL number. An advisory lock per CA serialises instances,
 * so a CA's CRL numbers only ever grow.
 */
@Component
class CrlPublisher {

  private final JdbcClient jdbc;
  private final IssuingCas cas;
  private final Clock clock;
  private final PkiProperties properties;
  private final TransactionTemplate tx;

  CrlPublisher(
      JdbcClient jdbc,
      IssuingCas cas,
      Clock clock,
      PkiProperties properties,
      TransactionTemplate tx) {
    this.tx = tx;
    this.jdbc = jdbc;
    this.cas = cas;
    this.clock = clock;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${pki.crl-interval}", initialDelay = 0)
  public void scheduled() {
    for (IssuingCa ca : cas.all()) {
      tx.executeWithoutResult(status -> regenerate(ca));
    }
  }

  /** The CRLs of the CAs that issued these certificates (by their issuer DN). */
  @Transactional(propagation = Propagation.REQUIRED)
  public void regenerateFor(Collection<String> issuerDns) {
    issuerDns.stream().distinct().forEach(dn -> cas.bySubjectDn(dn).ifPresent(this::regenerate));
  }

  @Transactional(propagation = Propagation.REQUIRED)
  public byte[] regenerate(IssuingCa ca) {
    jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
        .param("pki.crl:" + ca.id())
        .query()
        .rowSet();
    long number =
        jdbc.sql("select coalesce(max(crl_number), 0) + 1 from crl where ca_id = ?")
            .param(ca.id())
            .query(Long.class)
            .single();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant next = now.plus(properties.crlInterval().multipliedBy(2));
    try {
      var builder =
          new JcaX509v2CRLBuilder(ca.certificate().getSubjectX500Principal(), Date.from(now));
      builder.setNextUpdate(Date.from(next));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
      jdbc.sql(
              "select serial, revoked_at, revocation_reason from certificate"
                  + " where status = 'REVOKED' and issuer_dn = ?")
          .param(ca.subjectDn())
          .query(
              rs -> {
                builder.addCRLEntry(
                    new BigInteger(rs.getString(1), 16),
                    rs.getTimestamp(2),
                    RevocationReason.valueOf(rs.getString(3)).code());
              });
      var signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(ca.key())).build(ca.key());
      byte[] der = builder.build(signer).getEncoded();
      jdbc.sql(
              "insert into crl (ca_id, crl_number, this_update, next_update, der)"
                  + " values (?, ?, ?, ?, ?) on conflict (ca_id) do update set"
                  + " crl_number = excluded.crl_number, this_update = excluded.this_update,"
                  + " next_update = excluded.next_update, der = excluded.der")
          .params(ca.id(), number, Timestamp.from(now), Timestamp.from(next), der)
          .update();
      return der;
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the CRL of " + ca.id(), e);
    }
  }

  /** The shared issuing CA's current CRL; made now if none exists yet. */
  @Transactional
  public byte[] current() {
    return current(cas.shared());
  }

  /** The current CRL of the CA of this id; empty for an unknown CA. */
  @Transactional
  public Optional<byte[]> current(String caId) {
    return cas.byId(caId).map(this::current);
  }

  private byte[] current(IssuingCa ca) {
    return jdbc.sql("select der from crl where ca_id = ?")
        .param(ca.id())
        .query(byte[].class)
        .optional()
        .orElseGet(() -> regenerate(ca));
  }
}
