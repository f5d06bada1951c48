package dev.ems.platform.kafka;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/** Kafka is up when the cluster answers a describe-cluster request within two seconds. */
class KafkaHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

  private final KafkaAdmin admin;
  private volatile AdminClient client;

  KafkaHealthIndicator(KafkaAdmin admin) {
    super("Kafka health check failed");
    this.admin = admin;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    var cluster = client().describeCluster(new DescribeClusterOptions().timeoutMs(2000));
    String clusterId = cluster.clusterId().get(2, TimeUnit.SECONDS);
    int nodes = cluster.nodes().get(2, TimeUnit.SECONDS).size();
    builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
  }

  private AdminClient client() {
    AdminClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client = AdminClient.create(admin.getConfigurationProperties());
        }
        c = client;
      }
    }
    return c;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
