package dev.ems.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedSnapshotTest {

  private final AtomicLong clock = new AtomicLong();
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void readsOncePerTtl() {
    var snapshot =
        new CachedSnapshot<>(reads::incrementAndGet, -1, Duration.ofSeconds(5), clock::get);
    assertThat(snapshot.get()).isEqualTo(1);
    clock.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(snapshot.get()).isEqualTo(1);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(snapshot.get()).isEqualTo(2);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aFailedReadGivesTheFallbackAndIsRetriedAfterTheTtl() {
    var failing = new java.util.concurrent.atomic.AtomicBoolean(true);
    var snapshot =
        new CachedSnapshot<>(
            () -> {
              reads.incrementAndGet();
              if (failing.get()) {
                throw new IllegalStateException("database down");
              }
              return 7;
            },
            -1,
            Duration.ofSeconds(5),
            clock::get);
    assertThat(snapshot.get()).isEqualTo(-1);
    failing.set(false);
    assertThat(snapshot.get()).isEqualTo(-1);
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(snapshot.get()).isEqualTo(7);
    assertThat(reads).hasValue(2);
  }
}
