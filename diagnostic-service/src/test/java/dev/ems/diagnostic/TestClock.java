package dev.ems.diagnostic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A clock the tests move forward, shared by every context of the JVM (including a second instance
 * started by a test) so that all sweeps agree on the time. Starts at the real time and only moves
 * forward.
 */
public final class TestClock extends Clock {

  private static final AtomicReference<Instant> NOW =
      new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.MILLIS));

  public static Instant now() {
    return NOW.get();
  }

  public static void advance(Duration duration) {
    NOW.updateAndGet(t -> t.plus(duration));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return NOW.get();
  }

  @TestConfiguration(proxyBeanMethods = false)
  public static class Config {
    @Bean
    @Primary
    Clock testClock() {
      return new TestClock();
    }
  }
}
