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

  /** The Prometheus scrape token of the suite ({@code EMS_METRICS_SCRAPE_TOKEN}). */
  static final String SCRAPE_TOKEN = "system-test-scrape-token-5f1c";

  private static Suite suite;

  private RunningSuite() {}

  static synchronized Suite get() throws InterruptedException {
    if (suite == null) {
      System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
      Map<String, String> settings = new HashMap<>(TestInfrastructure.springProperties());
      settings.put("ems.metrics.scrape-token", SCRAPE_TOKEN);
      suite = Suite.start(settings, Map.of(), 2);
      // stops before the Kafka broker and the test database go
      TestInfrastructure.atExit(suite::close);
    }
    return suite;
  }
}
