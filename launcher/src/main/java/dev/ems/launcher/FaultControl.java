package dev.ems.launcher;

import dev.ems.embedded.KafkaBroker;
import dev.ems.embedded.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * For fault injection (bench/chaos.sh sets {@code EMS_FAULT_CONTROL=true}; off by default): while
 * the file {@code kafka.stopped} exists in the data folder the embedded Kafka broker is stopped,
 * while {@code postgres.stopped} exists the embedded PostgreSQL is; each starts again on the same
 * data once its file is gone. Both run inside the launcher, where no signal from outside could stop
 * one of them alone.
 */
final class FaultControl {

  private FaultControl() {}

  static void watch(
      Path home,
      KafkaBroker kafka,
      AtomicReference<PostgresServer> postgres,
      Supplier<PostgresServer> startPostgres) {
    Path kafkaFlag = home.resolve("kafka.stopped");
    Path postgresFlag = home.resolve("postgres.stopped");
    Thread.ofPlatform()
        .daemon()
        .name("ems-fault-control")
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  boolean kafkaWanted = !Files.exists(kafkaFlag);
                  if (kafkaWanted != kafka.isRunning()) {
                    say("Kafka", kafkaWanted);
                    if (kafkaWanted) {
                      kafka.start();
                    } else {
                      kafka.stop();
                    }
                  }
                  boolean postgresWanted = !Files.exists(postgresFlag);
                  if (postgresWanted != (postgres.get() != null)) {
                    say("PostgreSQL", postgresWanted);
                    if (postgresWanted) {
                      postgres.set(startPostgres.get());
                    } else {
                      postgres.getAndSet(null).close();
                    }
                  }
                  Thread.sleep(250);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  System.out.println("EMS: fault control: " + e);
                }
              }
            });
  }

  private static void say(String what, boolean start) {
    System.out.println("EMS: fault control: " + (start ? "starting " : "stopping ") + what);
  }
}
