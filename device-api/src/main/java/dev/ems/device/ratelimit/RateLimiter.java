package dev.ems.device.ratelimit;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.common.error.ErrorCode;
import dev.ems.device.system.DeviceApiProperties;
import dev.ems.platform.web.EmsException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * A token bucket per device, in memory: a device that floods gets {@code 429} with {@code
 * Retry-After} while the others carry on. Per instance; behind a load balancer with device affinity
 * (by client certificate) that is per device. Bounded: past {@link #MAX_BUCKETS} devices Caffeine
 * evicts the least used bucket (that device starts over with a full bucket) instead of everyone's.
 */
@Component
public class RateLimiter {

  private final double perNano;
  private final double burst;
  static final int MAX_BUCKETS = 1_000_000;

  private final ConcurrentMap<Object, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(MAX_BUCKETS).<Object, Bucket>build().asMap();

  RateLimiter(DeviceApiProperties properties, MeterRegistry meters) {
    this.perNano = properties.rateLimitPerMinute() / 60e9;
    this.burst = properties.rateLimitBurst();
    Gauge.builder("cache.size", buckets, ConcurrentMap::size)
        .tag("cache", "device.rate-limit")
        .register(meters);
  }

  /** Takes a token for the key or throws 429. */
  public void acquire(Object key) {
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, System.nanoTime()));
    synchronized (bucket) {
      long now = System.nanoTime();
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perNano);
      bucket.at = now;
      if (bucket.tokens < 1) {
        long retry = (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
        throw new EmsException(
            ErrorCode.RATE_LIMITED, "Too many requests; retry in " + Math.max(1, retry) + " s");
      }
      bucket.tokens -= 1;
    }
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
