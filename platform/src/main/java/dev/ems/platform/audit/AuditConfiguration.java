package dev.ems.platform.audit;

import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail in every service (records kept in the service's schema, published on {@code
 * ems.<schema>.audit.v1}); on servlet services also the filter that records operator writes and
 * {@code /api/v1/audit}.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

  @Bean
  AuditTrail auditTrail(JdbcClient jdbc, PlatformTransactionManager transactions) {
    return new AuditTrail(jdbc, new TransactionTemplate(transactions), Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  AuditSequencer auditSequencer(
      JdbcClient jdbc,
      Outbox outbox,
      PlatformTransactionManager transactions,
      @Value("${spring.application.name}") String service,
      @Value("${ems.schema}") String schema,
      @Value("${ems.audit.chain-interval:PT0.2S}") Duration interval) {
    return new AuditSequencer(
        jdbc,
        outbox,
        new TransactionTemplate(transactions),
        service,
        Topics.audit(schema),
        interval);
  }

  @Bean
  AuditLog auditLog(JdbcClient jdbc, AuditSequencer sequencer) {
    return new AuditLog(jdbc, sequencer);
  }

  /** Operator writes, recorded after Spring Security has named the caller. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @Import(AuditController.class)
  static class Servlet {
    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditTrail trail, JsonMapper json) {
      var registration = new FilterRegistrationBean<>(new AuditFilter(trail, json));
      registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
      return registration;
    }
  }
}
