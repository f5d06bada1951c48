package dev.ems.platform.security;

import dev.ems.platform.PlatformProperties;
import dev.ems.platform.kafka.EventReader;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/** Operator authentication by API key, and the replication of keys between services. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  ApiKeys apiKeys(JdbcClient jdbc) {
    return new ApiKeys(jdbc);
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, JsonMapper json) {
    var registration = new FilterRegistrationBean<>(new ApiKeyFilter(keys, json));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    return registration;
  }

  @Bean
  ApiKeyBootstrap apiKeyBootstrap(ApiKeys keys, PlatformProperties properties) {
    return new ApiKeyBootstrap(keys, properties);
  }

  @Bean
  ApiKeyIssuedListener apiKeyIssuedListener(ApiKeys keys, EventReader events) {
    return new ApiKeyIssuedListener(keys, events);
  }

  @Bean
  WebMvcConfigurer callerArgumentResolver() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
      }
    };
  }
}
