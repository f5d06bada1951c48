package dev.ems.pki.expiry;

import dev.ems.pki.issuance.CertificateEvents;
import dev.ems.pki.issuance.Certificates;
import dev.ems.pki.system.PkiProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Announces each valid certificate that enters the last tenth of its lifetime ({@code
 * pki.expiry-fraction}) exactly once: a device that renews at two thirds of its lifetime never gets
 * there, since its renewal supersedes (revokes) the old certificate, so the announcement (and
 * diagnostics' CERT_EXPIRING alert) means a device that has not renewed. Exactly once: the row is
 * marked in the transaction that appends the event, and rows are claimed with SKIP LOCKED so
 * several instances never announce the same certificate twice.
 */
@Component
class ExpiryWatcher {

  private static final int BATCH = 500;

  private final JdbcClient jdbc;
  private final Certificates certificates;
  private final CertificateEvents events;
  private final PkiProperties properties;
  private final Clock clock;

  ExpiryWatcher(
      JdbcClient jdbc,
      Certificates certificates,
      CertificateEvents events,
      PkiProperties properties,
      Clock clock) {
    this.jdbc = jdbc;
    this.certificates = certificates;
    this.events = events;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${pki.expiry-check-interval}",
      initialDelayString = "${pki.expiry-check-interval}")
  @Transactional
  public int announce() {
    Instant now = clock.instant();
    List<String> serials =
        jdbc.sql(
                "select serial from certificate where status = 'VALID' and expiry_announced_at"
                    + " is null and not_after > ?"
                    + " and not_after - (not_after - not_before) * ? <= ?"
                    + " order by not_after limit ? for update skip locked")
            .params(Timestamp.from(now), properties.expiryFraction(), Timestamp.from(now), BATCH)
            .query(String.class)
            .list();
    for (String serial : serials) {
      certificates.findAnyTenant(serial).ifPresent(events::expiring);
      jdbc.sql("update certificate set expiry_announced_at = ? where serial = ?")
          .params(Timestamp.from(now), serial)
          .update();
    }
    return serials.size();
  }
}
