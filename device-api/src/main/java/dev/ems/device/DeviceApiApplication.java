package dev.ems.device;

import dev.ems.platform.EmsService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** device-api: what edge devices call while they install themselves and afterwards. */
@SpringBootApplication
@ConfigurationPropertiesScan
// ScepTransactions' nonce purge
@EnableScheduling
@EmsService("device-api")
public class DeviceApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(DeviceApiApplication.class, args);
  }
}
