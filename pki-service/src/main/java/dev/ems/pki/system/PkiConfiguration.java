package dev.ems.pki.system;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wiring of pki-service: properties, the clock and the schedules (CRL, expiry). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(PkiProperties.class)
class PkiConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
