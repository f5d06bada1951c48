package dev.ems.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded servers start before any Spring application has configured logging, when logback
 * would print everything at DEBUG. Keep them to warnings.
 */
final class QuietLogging {

  private QuietLogging() {}

  static void apply() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
      level(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
      for (String name :
          new String[] {"kafka", "org.apache.kafka", "state.change.logger", "io.zonky"}) {
        level(name, Level.WARN);
      }
      // a harmless NotControllerException while the single node registers with itself
      level("kafka.server.ControllerApis", Level.OFF);
    }
  }

  private static void level(String name, Level level) {
    ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
  }
}
