package dev.ems.system;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
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
      suite = Suite.start(TestInfrastructure.springProperties(), Map.of(), 2);
      // stops before the Kafka broker and the test database go
      TestInfrastructure.atExit(suite::close);
    }
    return suite;
  }
}
