package dev.ems.faults;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A suite that faults are injected into, as a {@link FaultFleet} and {@link FaultCounts} see it.
 */
interface FaultTarget {

  /** The port of a service. */
  int port(String service);

  /** The base URL of device-api replica {@code replica} (0 or 1; the same one if there is one). */
  String deviceApi(int replica);

  /** A connection to the suite's database (all schemas). */
  Connection database() throws SQLException;

  /** The end of the suite's own log where it has one apart from the test's, or nothing. */
  default String log() {
    return "";
  }
}
