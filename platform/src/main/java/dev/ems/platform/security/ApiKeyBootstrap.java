package dev.ems.platform.security;

import dev.ems.platform.PlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * On start, makes the key from {@code EMS_BOOTSTRAP_ADMIN_KEY} the bootstrap admin key of the
 * bootstrap tenant, under one id in every service, replacing an earlier bootstrap key. The key
 * itself is never logged.
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
      // no public default: ./ems up makes a random key for local use (.ems/admin-key)
      throw new IllegalStateException(
          "EMS_BOOTSTRAP_ADMIN_KEY is not set: the first admin key of the suite (>= "
              + MIN_LENGTH
              + " characters, e.g. from `openssl rand -base64 32`)");
    }
    if (key.length() < MIN_LENGTH) {
      throw new IllegalStateException(
          "EMS_BOOTSTRAP_ADMIN_KEY must be at least " + MIN_LENGTH + " characters long");
    }
    keys.registerBootstrapKey(properties.bootstrapTenant(), "bootstrap-admin", ApiKeys.hash(key));
    log.info(
        "Bootstrap admin key {} of tenant '{}' is the one from EMS_BOOTSTRAP_ADMIN_KEY",
        ApiKeys.BOOTSTRAP_KEY_ID,
        properties.bootstrapTenant());
  }
}
