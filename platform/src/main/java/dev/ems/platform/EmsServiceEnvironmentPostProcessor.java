package dev.ems.platform;

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
          environment
              .getPropertySources()
              .addLast(
                  new MapPropertySource(
                      "emsService",
                      Map.of(
                          "spring.config.name",
                          "ems-platform," + service.value(),
                          "spring.application.name",
                          service.value())));
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
