package dev.ems.platform.tenant;

import dev.ems.platform.kafka.EventReader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Tenants in every service, servlet and reactive alike. */
@Configuration(proxyBeanMethods = false)
public class TenantConfiguration {

  @Bean
  Tenants tenants(JdbcClient jdbc) {
    Tenants tenants = new Tenants(jdbc);
    tenants.refresh();
    return tenants;
  }

  /**
   * Follows the shared table, whichever replica of the service consumed a tenant's event. Its own
   * thread, not a bean of type ScheduledExecutorService (that would become every @Scheduled's).
   */
  @Bean(destroyMethod = "close")
  TenantRefresh tenantRefresh(Tenants tenants) {
    return new TenantRefresh(tenants);
  }

  static final class TenantRefresh implements AutoCloseable {
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tenant-refresh").daemon(true).factory());

    TenantRefresh(Tenants tenants) {
      long millis = Tenants.REFRESH.toMillis();
      scheduler.scheduleWithFixedDelay(tenants::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      scheduler.shutdownNow();
    }
  }

  @Bean
  TenantChangedListener tenantChangedListener(Tenants tenants, EventReader events) {
    return new TenantChangedListener(tenants, events);
  }
}
