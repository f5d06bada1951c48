package dev.ems.tw.system;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wiring of tw-service: properties, the clock and the rollout timeout sweep. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(TwProperties.class)
class TwConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
