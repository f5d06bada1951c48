package dev.ems.platform;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs before configuration files are read and points {@code spring.config.name} at {@code
 * ems-platform,<service>} for an application whose source is annotated with {@link EmsService}.
 */
class EmsServiceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    for (Object source : application.getAllSources()) {
      if (source instanceof Class<?> type) {
        EmsService service = AnnotatedElementUtils.findMergedAnnotation(type, EmsService.class);
        if (service != null) {
          Map<String, Object> properties = new HashMap<>();
          properties.put("spring.config.name", "ems-platform," + service.value());
          properties.put("spring.application.name", service.value());
          // OTLP span export only when an endpoint is given: Boot creates the exporter as soon as
          // the endpoint property exists, even blank, so it is set here and not in the yml
          // logback-spring.xml: ECS JSON lines for EMS_LOG_FORMAT=json, the readable console else
          String format = environment.getProperty("EMS_LOG_FORMAT", "console").strip();
          properties.put(
              "ems.logging.appender",
              "json".equalsIgnoreCase(format) ? "CONSOLE_json" : "CONSOLE_console");
          String otlp = environment.getProperty("EMS_OTLP_ENDPOINT");
          if (otlp != null && !otlp.isBlank()) {
            // like OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL, traces go to /v1/traces
            String base = otlp.strip().replaceAll("/+$", "");
            properties.put(
                "management.opentelemetry.tracing.export.otlp.endpoint",
                base.endsWith("/v1/traces") ? base : base + "/v1/traces");
          }
          environment.getPropertySources().addLast(new MapPropertySource("emsService", properties));
          return;
        }
      }
    }
  }

  @Override
  public int getOrder() {
    return ConfigDataEnvironmentPostProcessor.ORDER - 1;
  }
}
