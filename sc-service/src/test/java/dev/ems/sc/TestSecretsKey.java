package dev.ems.sc;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * A random {@code EMS_SECRETS_KEY} per test JVM, at the lowest precedence: sc-service has no
 * default for it. TestInfrastructure sets {@code sc.secrets-key} itself from embedded-infra 0.1.0
 * as built after issue 13's secrets, which then wins; this keeps the module's tests running on an
 * installed embedded-infra from before.
 */
public class TestSecretsKey implements ContextCustomizerFactory {

  static final String KEY = randomKey();

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return new Customizer();
  }

  private record Customizer() implements ContextCustomizer {
    @Override
    public void customizeContext(
        org.springframework.context.ConfigurableApplicationContext context,
        org.springframework.test.context.MergedContextConfiguration mergedConfig) {
      context
          .getEnvironment()
          .getPropertySources()
          .addLast(new MapPropertySource("scTestSecretsKey", Map.of("EMS_SECRETS_KEY", KEY)));
    }
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
