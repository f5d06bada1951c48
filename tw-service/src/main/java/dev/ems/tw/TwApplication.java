package dev.ems.tw;

import dev.ems.platform.EmsService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** tw-service: feature catalogue, device feature sets and rollouts. */
@SpringBootApplication
@EmsService("tw-service")
public class TwApplication {

  public static void main(String[] args) {
    SpringApplication.run(TwApplication.class, args);
  }
}
