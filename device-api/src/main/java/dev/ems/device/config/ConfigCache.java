package dev.ems.device.config;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.device.system.DeviceApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The in-memory copy of the read model that serves the config fetch path without a database round
 * trip. Filled on first fetch and kept current by {@link ConfigPublishedListener}; it only ever
 * moves a device forward to a newer version. Bounded ({@code device-api.cache-max-entries}): past
 * the bound Caffeine evicts the devices least likely to fetch again, and the store refills on
 * demand. Size, hits, misses and evictions are in the scrape as {@code
 * cache_*{cache="device.config"}}.
 */
@Component
class ConfigCache {

  private final Cache<UUID, PublishedConfig> configs;
  private final PublishedConfigs store;

  ConfigCache(PublishedConfigs store, DeviceApiProperties properties, MeterRegistry meters) {
    this.store = store;
    this.configs =
        Caffeine.newBuilder().maximumSize(properties.cacheMaxEntries()).recordStats().build();
    CaffeineCacheMetrics.monitor(meters, configs, "device.config");
  }

  /** From memory only: the hot path never blocks. */
  PublishedConfig peek(UUID deviceId) {
    return configs.getIfPresent(deviceId);
  }

  /** From the read model, on a cache miss (blocking: call off the event loop). */
  Optional<PublishedConfig> load(UUID deviceId) {
    Optional<PublishedConfig> loaded = store.find(deviceId);
    loaded.ifPresent(this::offer);
    return loaded;
  }

  void offer(PublishedConfig config) {
    configs
        .asMap()
        .merge(config.deviceId(), config, (old, neu) -> neu.version() > old.version() ? neu : old);
  }
}
