package dev.ems.platform.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The access rule of an operator endpoint, declared beside it: the least role an API key needs. On
 * a method it wins over the one on its class. A handler without a rule (this or {@link
 * PublicEndpoint}) is refused to everyone ({@link HandlerAccessRules}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresRole {
  Role value();

  /**
   * Only for keys of the system tenant (the bootstrap key's, {@code EMS_BOOTSTRAP_TENANT}): the
   * system administration of the suite, such as creating tenants.
   */
  boolean systemTenant() default false;
}
