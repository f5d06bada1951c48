package dev.ems.pki.scep;

import dev.ems.pki.ca.CaHierarchy;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.KeyVault;
import dev.ems.pki.system.Pem;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The SCEP registration authority device-api answers SCEP with (issue 18): an RSA key and its RA
 * certificate from the issuing CA, made on first use and again once two thirds of its lifetime have
 * passed. The key is stored sealed by {@link KeyVault}; every device-api replica gets the same RA
 * (a device may send GetCACert and PKCSReq to different replicas).
 */
@Service
class ScepRegistrationAuthority {

  static final Duration VALIDITY = Duration.ofDays(730);

  /** Any two pki-service replicas make one RA between them. */
  private static final long LOCK = 0x5343_4550_5241L;

  record Ra(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {}

  private final JdbcClient jdbc;
  private final KeyVault vault;
  private final CaHierarchy cas;

  ScepRegistrationAuthority(JdbcClient jdbc, KeyVault vault, CaHierarchy cas) {
    this.jdbc = jdbc;
    this.vault = vault;
    this.cas = cas;
  }

  @Transactional
  Ra current() {
    Instant now = Instant.now();
    jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK).query(Object.class).single();
    return newest(now).orElseGet(() -> make(now));
  }

  /** The newest RA certificate within the first two thirds of its lifetime, if any. */
  private Optional<Ra> newest(Instant now) {
    return jdbc.sql(
            "select serial, certificate_der, sealed_key from scep_ra"
                + " where ? < not_before + (not_after - not_before) * 2 / 3"
                + " order by not_after desc limit 1")
        .param(Timestamp.from(now))
        .query(
            (rs, i) ->
                new Ra(
                    Pem.parse(rs.getBytes("certificate_der")),
                    vault.open(rs.getBytes("sealed_key"), owner(rs.getString("serial")), "RSA"),
                    cas.chain()))
        .optional();
  }

  private Ra make(Instant now) {
    KeyPair keys = KeyAlgorithm.RSA_2048.generate();
    X509Certificate certificate = RaCertificateMaker.issue(cas, keys.getPublic(), VALIDITY, now);
    String serial = certificate.getSerialNumber().toString(16);
    jdbc.sql(
            "insert into scep_ra (serial, certificate_der, sealed_key, not_before, not_after)"
                + " values (?, ?, ?, ?, ?)")
        .params(
            serial,
            Pem.der(certificate),
            vault.seal(keys.getPrivate(), owner(serial)),
            Timestamp.from(certificate.getNotBefore().toInstant()),
            Timestamp.from(certificate.getNotAfter().toInstant()))
        .update();
    return new Ra(certificate, keys.getPrivate(), cas.chain());
  }

  private static String owner(String serial) {
    return "scep-ra:" + serial;
  }
}
