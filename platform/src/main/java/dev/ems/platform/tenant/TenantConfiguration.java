package dev.ems.platform.tenant;

import dev.ems.platform.kafka.EventReader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Tenants in every service, servlet and reactive alike. */
@Configuration(proxyBeanMethods = false)
public class TenantConfiguration {

  @Bean
  Tenants tenants(JdbcClient jdbc) {
    return new Tenants(jdbc);
  }

  @Bean
  TenantChangedListener tenantChangedListener(Tenants tenants, EventReader events) {
    return new TenantChangedListener(tenants, events);
  }
}
