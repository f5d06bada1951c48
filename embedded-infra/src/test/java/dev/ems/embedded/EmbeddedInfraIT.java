package dev.ems.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfraIT {

  @Test
  void brokerKeepsRecordsAcrossARestart(@TempDir Path dir) throws Exception {
    var broker = new KafkaBroker(dir, FreePorts.next(), FreePorts.next()).start();
    try {
      try (var producer = new KafkaProducer<String, String>(producerProps(broker))) {
        producer.send(new ProducerRecord<>("restart-test", "k", "kept")).get();
      }
      broker.stop();
      assertThat(Files.exists(dir.resolve("logs/meta.properties"))).isTrue();
      broker.start();
      try (var consumer = new KafkaConsumer<String, String>(consumerProps(broker))) {
        consumer.subscribe(List.of("restart-test"));
        var records = consumer.poll(Duration.ofSeconds(20));
        assertThat(records.count()).isEqualTo(1);
        assertThat(records.iterator().next().value()).isEqualTo("kept");
      }
    } finally {
      broker.stop();
    }
  }

  /**
   * Issue 16: {@code ./ems up}'s PostgreSQL holds the suite's data, so a commit it acknowledged
   * survives a SIGKILL of its processes (zonky's default, synchronous_commit off, lost the last
   * commits' WAL with the killed server: an acknowledged config request or check gone after a
   * crash).
   */
  @Test
  void postgresWithADataFolderKeepsEveryAcknowledgedCommitAcrossASigkill(@TempDir Path dir)
      throws Exception {
    int port = FreePorts.next();
    int acknowledged = 0;
    var pg = PostgresServer.start(dir, port);
    try (var c = DriverManager.getConnection(pg.jdbcUrl("ems"))) {
      var setting = c.createStatement().executeQuery("show synchronous_commit");
      setting.next();
      assertThat(setting.getString(1)).isEqualTo("on");
      c.createStatement().execute("create table acknowledged(n int)");
      var insert = c.prepareStatement("insert into acknowledged values (?)");
      for (; acknowledged < 300; acknowledged++) {
        insert.setInt(1, acknowledged);
        insert.executeUpdate();
      }
    }
    long postmaster =
        Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).getFirst().trim());
    var server = ProcessHandle.of(postmaster).orElseThrow();
    var all = new java.util.ArrayList<>(server.descendants().toList());
    all.add(server);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().get();
    }
    try {
      pg.close(); // releases zonky's lock on the folder; its server is gone already
    } catch (RuntimeException e) {
      // pg_ctl found no server to stop
    }
    try (var again = PostgresServer.start(dir, port);
        var c = DriverManager.getConnection(again.jdbcUrl("ems"))) {
      var rs = c.createStatement().executeQuery("select count(*) from acknowledged");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(acknowledged);
    }
  }

  @Test
  void postgresKeepsDataAcrossARestart(@TempDir Path dir) throws Exception {
    int port = FreePorts.next();
    try (var pg = PostgresServer.start(dir, port)) {
      try (var c = DriverManager.getConnection(pg.jdbcUrl("ems"))) {
        c.createStatement().execute("create table kept(v text); insert into kept values ('yes')");
      }
    }
    try (var pg = PostgresServer.start(dir, port);
        var c = DriverManager.getConnection(pg.jdbcUrl("ems"))) {
      var rs = c.createStatement().executeQuery("select v from kept");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("yes");
    }
  }

  @Test
  void testDatabaseIsAFreshDatabasePerJvm() throws Exception {
    try (var c = DriverManager.getConnection(TestInfrastructure.jdbcUrl())) {
      var rs = c.createStatement().executeQuery("select current_database()");
      rs.next();
      assertThat(rs.getString(1)).startsWith("ems_test_");
    }
  }

  @Test
  void rewritesTheDatabaseOfAJdbcUrl() {
    assertThat(
            TestInfrastructure.withDatabase(
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "ems_test_x"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/ems_test_x?user=postgres");
    assertThat(TestInfrastructure.withDatabase("jdbc:postgresql://db:5432", "x"))
        .isEqualTo("jdbc:postgresql://db:5432/x");
  }

  private static Map<String, Object> producerProps(KafkaBroker broker) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
  }

  private static Map<String, Object> consumerProps(KafkaBroker broker) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG,
        "restart-test",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class);
  }
}
