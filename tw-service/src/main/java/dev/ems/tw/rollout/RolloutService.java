package dev.ems.tw.rollout;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.tw.catalogue.Feature;
import dev.ems.tw.catalogue.FeatureCatalogue;
import dev.ems.tw.catalogue.FeatureSchemas;
import dev.ems.tw.device.Device;
import dev.ems.tw.device.DeviceDirectory;
import dev.ems.tw.device.DeviceSelector;
import dev.ems.tw.rollout.model.WavePlan;
import dev.ems.tw.system.TwProperties;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates rollouts (planned into waves, first wave started at once) and pauses, resumes, cancels.
 */
@Service
class RolloutService {

  private final RolloutStore store;
  private final RolloutEngine engine;
  private final FeatureCatalogue catalogue;
  private final FeatureSchemas schemas;
  private final DeviceDirectory devices;
  private final TwProperties properties;
  private final Clock clock;

  RolloutService(
      RolloutStore store,
      RolloutEngine engine,
      FeatureCatalogue catalogue,
      FeatureSchemas schemas,
      DeviceDirectory devices,
      TwProperties properties,
      Clock clock) {
    this.store = store;
    this.engine = engine;
    this.catalogue = catalogue;
    this.schemas = schemas;
    this.devices = devices;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  Rollout create(String tenant, RolloutRequest request) {
    Feature feature =
        catalogue
            .find(tenant, request.featureKey())
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.FEATURE_NOT_FOUND,
                        "No such feature: " + request.featureKey(),
                        "featureKey"));
    Map<String, Object> params = null;
    if (RolloutRequest.ENABLE.equals(request.action())) {
      params = request.params() == null ? Map.of() : request.params();
      // Checked once up front, so a bad parameter fails the request, not every device.
      schemas.validateParams(feature, params);
    }
    var s = request.selector();
    DeviceSelector selector = new DeviceSelector(s.tags(), s.siteId(), s.model(), s.deviceIds());
    List<UUID> selected =
        devices.select(tenant, selector, properties.maxRolloutDevices() + 1).stream()
            .map(Device::id)
            .toList();
    if (selected.isEmpty() || selected.size() > properties.maxRolloutDevices()) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED,
          selected.isEmpty()
              ? "The selector matches no active device"
              : "The selector matches more than " + properties.maxRolloutDevices() + " devices",
          "selector");
    }
    List<List<UUID>> waves = WavePlan.of(selected, request.waveSize());
    long timeoutMs =
        request.waveTimeoutSeconds() == null
            ? properties.defaultWaveTimeout().toMillis()
            : request.waveTimeoutSeconds() * 1000L;
    long watchMs =
        request.watchWindowSeconds() == null
            ? properties.defaultWatchWindow().toMillis()
            : request.watchWindowSeconds() * 1000L;
    Rollout rollout =
        new Rollout(
            UUID.randomUUID(),
            tenant,
            feature.key(),
            request.action(),
            params,
            selectorMap(selector),
            request.waveSize(),
            request.failureThreshold() == null ? 0 : request.failureThreshold(),
            timeoutMs,
            waves.size(),
            0,
            0,
            Rollout.RUNNING,
            null,
            clock.instant(),
            watchMs);
    store.insert(rollout, waves);
    engine.startWave(rollout, 0);
    engine.advance(rollout.id());
    return rollout;
  }

  @Transactional
  void pause(String tenant, UUID id) {
    Rollout r = locked(tenant, id, Set.of(Rollout.RUNNING));
    store.update(
        id, Rollout.PAUSED, "paused by operator", r.currentWave(), r.failuresAcknowledged());
  }

  /** Resumes; the failures so far count as accepted, so only new ones can pause it again. */
  @Transactional
  void resume(String tenant, UUID id) {
    Rollout r = locked(tenant, id, Set.of(Rollout.PAUSED));
    int failed = store.counts(id).get(RolloutStore.DeviceStatus.FAILED);
    store.update(id, Rollout.RUNNING, null, r.currentWave(), failed);
    engine.startWave(r, r.currentWave());
    engine.advance(id);
  }

  /** Cancels: devices not yet changed are skipped; changed ones keep their new feature set. */
  @Transactional
  void cancel(String tenant, UUID id) {
    Rollout r = locked(tenant, id, Set.of(Rollout.RUNNING, Rollout.PAUSED));
    store.skipPending(id);
    store.update(id, Rollout.CANCELLED, null, r.currentWave(), r.failuresAcknowledged());
  }

  private Rollout locked(String tenant, UUID id, Set<String> allowed) {
    store
        .find(tenant, id)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.ROLLOUT_NOT_FOUND, id));
    Rollout r = store.lock(id).orElseThrow();
    if (!allowed.contains(r.status())) {
      throw new EmsException(
          ErrorCode.ROLLOUT_STATE_INVALID, "The rollout is " + r.status(), "status");
    }
    return r;
  }

  private static Map<String, Object> selectorMap(DeviceSelector s) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("tags", s.tags());
    map.put("siteId", s.siteId());
    map.put("model", s.model());
    map.put("deviceIds", s.deviceIds());
    return map;
  }
}
