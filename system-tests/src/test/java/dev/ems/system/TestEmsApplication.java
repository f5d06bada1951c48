package dev.ems.system;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.launcher.Suite;
import java.util.Map;

/**
 * The whole suite on Testcontainers' PostgreSQL and Kafka, for developers on a Docker host (the
 * {@code Test…Application} idea of spring-petclinic): run with {@code EMS_TEST_INFRA=containers}
 * from the IDE (test classpath of system-tests). It refuses to run on the embedded path, which
 * {@code ./ems up} already offers. Untested here: this project's machines have no Docker engine.
 */
public final class TestEmsApplication {

  private TestEmsApplication() {}

  public static void main(String[] args) throws Exception {
    if (!TestInfrastructure.containers()) {
      System.err.println(
          "TestEmsApplication needs " + TestInfrastructure.INFRA_ENV + "=containers and Docker");
      System.exit(2);
    }
    Suite suite = Suite.start(TestInfrastructure.springProperties(), Map.of(), 2);
    TestInfrastructure.atExit(suite::close);
    for (Suite.Service service : Suite.SERVICES) {
      System.out.println(service.name() + ": http://127.0.0.1:" + suite.port(service.name()));
    }
    System.out.println("admin key: " + TestInfrastructure.ADMIN_KEY + " (tenant default)");
    Thread.currentThread().join();
  }
}
