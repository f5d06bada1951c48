package dev.ems.platform.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read from the database for gauges, kept for a while: all gauges of one snapshot and all
 * scrapers within {@code ttl} share one query, so a scrape costs one query per snapshot at most. A
 * failing read (database down) yields {@code fallback} until the next attempt.
 */
public final class CachedSnapshot<T> {

  private final Supplier<T> read;
  private final T fallback;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private T value;
  private long readAt;
  private boolean fresh;

  public CachedSnapshot(Supplier<T> read, T fallback, Duration ttl, LongSupplier nanoClock) {
    this.read = read;
    this.fallback = fallback;
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
  }

  public CachedSnapshot(Supplier<T> read, T fallback) {
    this(read, fallback, Duration.ofSeconds(5), System::nanoTime);
  }

  /** The cached value, read again once older than the TTL. */
  public synchronized T get() {
    long now = nanoClock.getAsLong();
    if (!fresh || now - readAt >= ttlNanos) {
      try {
        value = read.get();
      } catch (RuntimeException unavailable) {
        value = fallback;
      }
      readAt = now;
      fresh = true;
    }
    return value;
  }
}
