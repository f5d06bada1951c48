package dev.ems.embedded;

import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at {@link TestInfrastructure}. The properties resolve lazily, so
 * a slice test that never touches the database or Kafka starts neither.
 */
public class EmbeddedInfraContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return new Customizer();
  }

  private record Customizer() implements ContextCustomizer {
    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
      context.getEnvironment().getPropertySources().addFirst(new LazyInfraPropertySource());
    }
  }

  static final class LazyInfraPropertySource extends PropertySource<Object> {

    LazyInfraPropertySource() {
      super("emsTestInfrastructure", new Object());
    }

    @Override
    public Object getProperty(String name) {
      return switch (name) {
        case "spring.datasource.url" -> TestInfrastructure.jdbcUrl();
        case "spring.kafka.bootstrap-servers" -> TestInfrastructure.kafka().bootstrapServers();
        case "ems.platform.bootstrap-admin-key" -> TestInfrastructure.ADMIN_KEY;
        case "ems.platform.bootstrap-tenant" -> TestInfrastructure.BOOTSTRAP_TENANT;
        case "pki.internal-api-key", "device-api.pki.internal-api-key" ->
            TestInfrastructure.INTERNAL_API_KEY;
        case "pki.key-encryption-key" -> TestInfrastructure.PKI_KEY_ENCRYPTION_KEY;
        case "sc.secrets-key" -> TestInfrastructure.SC_SECRETS_KEY;
        default -> null;
      };
    }
  }
}
