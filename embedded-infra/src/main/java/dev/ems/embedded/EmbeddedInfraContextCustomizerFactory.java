package dev.ems.embedded;

import java.util.List;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at {@link TestInfrastructure}. The properties resolve lazily, so
 * a slice test that never touches the database or Kafka starts neither. With {@code
 * EMS_TEST_INFRA=containers} on a Docker host the context also gets Testcontainers' PostgreSQL and
 * Kafka as {@code @ServiceConnection} beans ({@link ContainersConfiguration}).
 */
public class EmbeddedInfraContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return new Customizer();
  }

  private static final String CONTAINERS = "emsTestContainers";

  private record Customizer() implements ContextCustomizer {
    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
      context.getEnvironment().getPropertySources().addFirst(new LazyInfraPropertySource());
      if (TestInfrastructure.containers()
          && context instanceof BeanDefinitionRegistry registry
          && !registry.containsBeanDefinition(CONTAINERS)) {
        // @ServiceConnection beans: Boot's connection details come from the containers
        registry.registerBeanDefinition(
            CONTAINERS, new RootBeanDefinition(ContainersConfiguration.class));
      }
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
        case "spring.kafka.bootstrap-servers" -> TestInfrastructure.kafkaBootstrapServers();
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
