package dev.ems.diagnostic;

import dev.ems.platform.EmsService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** diagnostic-service: device health, tunnels, alerts and checks. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EmsService("diagnostic-service")
public class DiagnosticApplication {

  public static void main(String[] args) {
    SpringApplication.run(DiagnosticApplication.class, args);
  }
}
