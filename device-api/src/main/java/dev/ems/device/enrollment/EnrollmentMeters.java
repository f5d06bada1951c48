package dev.ems.device.enrollment;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Help text for the meters of {@link PkiClient}'s observation ({@code ems.pki.enrollment}, its
 * timer and long task timer): an observation's meters come without one, and a scrape without help
 * text is what {@code promtool check metrics} reports.
 */
@Configuration(proxyBeanMethods = false)
class EnrollmentMeters {

  static final String NAME = "ems.pki.enrollment";

  @Bean
  MeterFilter pkiEnrollmentHelp() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(NAME) || id.getDescription() != null) {
          return id;
        }
        return new Meter.Id(
            id.getName(),
            Tags.of(id.getTagsAsIterable()),
            id.getBaseUnit(),
            "device-api's enrollment calls to pki-service (client observation)",
            id.getType());
      }
    };
  }
}
