package dev.ems.system;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import java.util.HashMap;
import java.util.Map;

/**
 * The one suite all system tests of this JVM share — all five services on the test PostgreSQL and
 * Kafka — started on first use and stopped at exit (starting it costs most of a system test).
 */
final class RunningSuite {

  static final String ADMIN = "Bearer " + TestInfrastructure.ADMIN_KEY;

  private static Suite suite;

  private RunningSuite() {}

  static synchronized Suite get() throws InterruptedException {
    if (suite == null) {
      System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
      Map<String, String> settings = new HashMap<>();
      settings.put("spring.datasource.url", TestInfrastructure.jdbcUrl());
      settings.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafka().bootstrapServers());
      settings.put("ems.platform.bootstrap-admin-key", TestInfrastructure.ADMIN_KEY);
      suite = Suite.start(settings, Map.of(), 2);
      // stops before the Kafka broker and the test database go
      TestInfrastructure.atExit(suite::close);
    }
    return suite;
  }
}
