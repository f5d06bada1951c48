package dev.ems.device.config;

import dev.ems.device.system.DeviceApiProperties;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The in-memory copy of the read model that serves the config fetch path without a database round
 * trip. Filled on first fetch and kept current by {@link ConfigPublishedListener}; it only ever
 * moves a device forward to a newer version.
 */
@Component
class ConfigCache {

  private final ConcurrentHashMap<UUID, PublishedConfig> configs = new ConcurrentHashMap<>();
  private final PublishedConfigs store;
  private final int maxEntries;

  ConfigCache(PublishedConfigs store, DeviceApiProperties properties) {
    this.store = store;
    this.maxEntries = properties.cacheMaxEntries();
  }

  /** From memory only: the hot path never blocks. */
  PublishedConfig peek(UUID deviceId) {
    return configs.get(deviceId);
  }

  /** From the read model, on a cache miss (blocking: call off the event loop). */
  Optional<PublishedConfig> load(UUID deviceId) {
    Optional<PublishedConfig> loaded = store.find(deviceId);
    loaded.ifPresent(this::offer);
    return loaded;
  }

  void offer(PublishedConfig config) {
    if (configs.size() >= maxEntries && !configs.containsKey(config.deviceId())) {
      // crude bound until a fleet outgrows memory: drop everything, the store refills on demand
      configs.clear();
    }
    configs.merge(
        config.deviceId(), config, (old, neu) -> neu.version() > old.version() ? neu : old);
  }
}
