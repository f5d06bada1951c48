package dev.ems.pki.system;

import dev.ems.platform.metrics.CachedSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Certificates in the scrape, read from the certificate table (one cached query per scrape at
 * most): issued and revoked as counters ({@code ems_pki_certificates_issued_total}, {@code
 * ems_pki_certificates_revoked_total}; counted in the table, so they survive a restart and agree
 * across replicas) and valid certificates expiring within 30 days ({@code
 * ems_pki_certificates_expiring}), which an alert watches.
 */
@Component
class CertificateMetrics {

  record Counts(double issued, double revoked, double expiring) {
    static final Counts UNKNOWN = new Counts(Double.NaN, Double.NaN, Double.NaN);
  }

  private final CachedSnapshot<Counts> counts;

  CertificateMetrics(JdbcClient jdbc, MeterRegistry registry) {
    this.counts =
        new CachedSnapshot<>(
            () ->
                jdbc.sql(
                        """
                        select count(*),
                               count(*) filter (where status = 'REVOKED'),
                               count(*) filter (where status = 'VALID' and not_after > now()
                                   and not_after <= now() + interval '30 days')
                          from certificate
                        """)
                    .query((rs, n) -> new Counts(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)))
                    .single(),
            Counts.UNKNOWN);
    FunctionCounter.builder("ems.pki.certificates.issued", this, m -> m.counts.get().issued())
        .description("Device certificates issued")
        .register(registry);
    FunctionCounter.builder("ems.pki.certificates.revoked", this, m -> m.counts.get().revoked())
        .description("Device certificates revoked")
        .register(registry);
    Gauge.builder("ems.pki.certificates.expiring", this, m -> m.counts.get().expiring())
        .description("Valid device certificates that expire within 30 days")
        .register(registry);
  }
}
