package dev.ems.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the application class of an EMS service. Its name becomes {@code spring.application.name}
 * (and so the Kafka consumer group), and the service's configuration file is {@code <name>.yml}
 * layered over the shared {@code ems-platform.yml}. Several services can thus share one class path
 * (the launcher, the system tests) without their configuration files colliding.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EmsService {

  /** The service name, e.g. {@code sc-service}. */
  String value();
}
