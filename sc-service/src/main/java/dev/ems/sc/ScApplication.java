package dev.ems.sc;

import dev.ems.platform.EmsService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** sc-service: device inventory and configuration generation. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EmsService("sc-service")
public class ScApplication {

  public static void main(String[] args) {
    SpringApplication.run(ScApplication.class, args);
  }
}
