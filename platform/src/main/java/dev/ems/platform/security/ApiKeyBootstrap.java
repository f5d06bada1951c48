package dev.ems.platform.security;

import dev.ems.platform.PlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * On start, makes the key from {@code EMS_BOOTSTRAP_ADMIN_KEY} an admin key of the bootstrap tenant
 * if no key with that hash exists yet. The key itself is never logged.
 */
class ApiKeyBootstrap implements ApplicationRunner {

  static final int MIN_LENGTH = 16;
  private static final Logger log = LoggerFactory.getLogger(ApiKeyBootstrap.class);

  private final ApiKeys keys;
  private final PlatformProperties properties;

  ApiKeyBootstrap(ApiKeys keys, PlatformProperties properties) {
    this.keys = keys;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    String key = properties.bootstrapAdminKey();
    if (key == null || key.isBlank()) {
      return;
    }
    if (key.length() < MIN_LENGTH) {
      throw new IllegalStateException(
          "EMS_BOOTSTRAP_ADMIN_KEY must be at least " + MIN_LENGTH + " characters long");
    }
    if (keys.insertIfAbsent(
        properties.bootstrapTenant(), "bootstrap-admin", ApiKeys.hash(key), Role.ADMIN)) {
      log.info(
          "Bootstrap admin key registered for tenant '{}' (from EMS_BOOTSTRAP_ADMIN_KEY)",
          properties.bootstrapTenant());
    }
  }
}
