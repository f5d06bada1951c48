package dev.ems.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), running inside
 * this JVM. Its log directory survives {@link #stop()}, so the same broker can be started again
 * with its data — the launcher keeps it across runs, the tests use it to simulate an outage.
 */
public final class KafkaBroker implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  public KafkaBroker(Path dataDir, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats the log directory on first use, then starts the broker. */
  public synchronized KafkaBroker start() {
    if (server != null) {
      return this;
    }
    QuietLogging.apply();
    Properties props = properties();
    Path config = dataDir.resolve("server.properties");
    try {
      Files.createDirectories(dataDir.resolve("logs"));
      try (var out = Files.newOutputStream(config)) {
        props.store(out, "EMS embedded Kafka broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
      String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
      int rc =
          StorageTool.execute(
              new String[] {
                "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"
              },
              new PrintStream(OutputStream.nullOutputStream()));
      if (rc != 0) {
        throw new IllegalStateException("formatting the Kafka log directory failed: " + rc);
      }
    }
    KafkaRaftServer raft = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    raft.startup();
    server = raft;
    return this;
  }

  /** Stops the broker and keeps its data. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stop();
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("num.partitions", "3");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    return p;
  }

  /** A fresh broker on free ports with its data in a new temporary directory. */
  public static KafkaBroker temporary() {
    try {
      Path dir = Files.createTempDirectory("ems-kafka-" + UUID.randomUUID());
      dir.toFile().deleteOnExit();
      return new KafkaBroker(dir, FreePorts.next(), FreePorts.next());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
