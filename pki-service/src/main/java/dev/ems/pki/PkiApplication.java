package dev.ems.pki;

import dev.ems.platform.EmsService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** pki-service: CAs, end entities, certificates and revocation. */
@SpringBootApplication
@EmsService("pki-service")
public class PkiApplication {

  public static void main(String[] args) {
    SpringApplication.run(PkiApplication.class, args);
  }
}
