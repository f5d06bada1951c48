package dev.ems.platform;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.platform.apidocs.ApiDocs;
import dev.ems.platform.audit.AuditConfiguration;
import dev.ems.platform.kafka.KafkaConfiguration;
import dev.ems.platform.metrics.MetricsConfiguration;
import dev.ems.platform.outbox.OutboxConfiguration;
import dev.ems.platform.security.SecurityConfiguration;
import dev.ems.platform.tenant.TenantConfiguration;
import dev.ems.platform.web.BodyLimitFilter;
import dev.ems.platform.web.ProblemErrorReportValve;
import dev.ems.platform.web.ProblemHandler;
import dev.ems.platform.web.ReactiveProblemHandler;
import dev.ems.platform.web.StrictJson;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wiring every EMS service shares: one auto-configuration instead of five copies. It runs
 * before Spring MVC's so that {@link ProblemHandler} replaces Boot's default problem handler.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@EnableConfigurationProperties(PlatformProperties.class)
@Import({
  OutboxConfiguration.class,
  KafkaConfiguration.class,
  TenantConfiguration.class,
  MetricsConfiguration.class,
  AuditConfiguration.class,
  ApiDocs.class
})
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

    /** Bounded request bodies (1 MiB unless a path says otherwise). */
    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(
        PlatformProperties properties, JsonMapper json) {
      var registration =
          new FilterRegistrationBean<>(
              new BodyLimitFilter(properties.maxBodySize(), properties.bodyLimits(), json));
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
      return registration;
    }

    /** Request bodies are read strictly ({@link StrictJson}); responses are written as usual. */
    @Bean
    WebMvcConfigurer strictJsonBodies(JsonMapper json) {
      JsonMapper strict = StrictJson.strict(json);
      return new WebMvcConfigurer() {
        @Override
        public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
          builder.withJsonConverter(StrictJson.converter(strict));
        }
      };
    }

    /** Tomcat's own refusals (undecodable paths) as problems, not its HTML error page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(
        PlatformProperties properties) {
      return factory -> {
        factory.addContextCustomizers(
            context ->
                ((StandardHost) context.getParent())
                    .setErrorReportValveClass(ProblemErrorReportValve.class.getName()));
        if (!properties.encodedSlashPaths().isEmpty()) {
          // kept encoded, so it never splits a path; Spring Security's firewall still refuses it
          // everywhere but on ems.platform.encoded-slash-paths
          factory.addConnectorCustomizers(c -> c.setEncodedSolidusHandling("passthrough"));
        }
      };
    }
  }

  /** Reactive services (device-api): problem details for WebFlux. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @Import(ReactiveProblemHandler.class)
  static class Reactive {}
}
