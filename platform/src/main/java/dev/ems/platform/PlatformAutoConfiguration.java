package dev.ems.platform;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.platform.kafka.KafkaConfiguration;
import dev.ems.platform.outbox.OutboxConfiguration;
import dev.ems.platform.security.SecurityConfiguration;
import dev.ems.platform.web.ProblemErrorReportValve;
import dev.ems.platform.web.ProblemHandler;
import dev.ems.platform.web.ReactiveProblemHandler;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The wiring every EMS service shares: one auto-configuration instead of five copies. It runs
 * before Spring MVC's so that {@link ProblemHandler} replaces Boot's default problem handler.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@EnableConfigurationProperties(PlatformProperties.class)
@Import({OutboxConfiguration.class, KafkaConfiguration.class})
public class PlatformAutoConfiguration {

  @Bean
  CloudEventCodec cloudEventCodec() {
    return new CloudEventCodec();
  }

  /** Servlet services: problem details for MVC, operator API keys. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @Import({ProblemHandler.class, SecurityConfiguration.class})
  static class Servlet {

    /** Tomcat's own refusals (undecodable paths) as problems, not its HTML error page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
      return factory ->
          factory.addContextCustomizers(
              context ->
                  ((StandardHost) context.getParent())
                      .setErrorReportValveClass(ProblemErrorReportValve.class.getName()));
    }
  }

  /** Reactive services (device-api): problem details for WebFlux. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @Import(ReactiveProblemHandler.class)
  static class Reactive {}
}
