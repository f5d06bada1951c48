package dev.ems.tw.devicefeature;

import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.Preconditions;
import dev.ems.tw.catalogue.Feature;
import dev.ems.tw.catalogue.FeatureCatalogue;
import dev.ems.tw.catalogue.FeatureSchemas;
import dev.ems.tw.device.Device;
import dev.ems.tw.device.DeviceDirectory;
import dev.ems.tw.devicefeature.model.FeatureRules;
import dev.ems.tw.devicefeature.model.FeatureRules.Rule;
import dev.ems.tw.devicefeature.model.FeatureRules.Violation;
import dev.ems.tw.system.TwProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds, updates and removes features of one device. The device row is locked for the change, so
 * changes of one device are serialised and each gets the next revision; the whole new set is
 * published with it. Every check runs before anything is written, which is why a refusal does not
 * roll back a caller's transaction (a rollout records the refusal and goes on with other devices).
 */
@Service
public class DeviceFeatureService {

  private final DeviceDirectory devices;
  private final FeatureCatalogue catalogue;
  private final FeatureSchemas schemas;
  private final DeviceFeatureStore store;
  private final DeviceFeatureEvents events;
  private final TwProperties properties;
  private final JsonMapper json;
  private final Clock clock;

  DeviceFeatureService(
      DeviceDirectory devices,
      FeatureCatalogue catalogue,
      FeatureSchemas schemas,
      DeviceFeatureStore store,
      DeviceFeatureEvents events,
      TwProperties properties,
      JsonMapper json,
      Clock clock) {
    this.devices = devices;
    this.catalogue = catalogue;
    this.schemas = schemas;
    this.store = store;
    this.events = events;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  /** The set after a change; {@code changed} is false when the request changed nothing. */
  public record Outcome(long revision, Map<String, FeatureSetting> features, boolean changed) {}

  @Transactional(readOnly = true, noRollbackFor = EmsException.class)
  public Outcome list(String tenant, UUID deviceId) {
    Device device = devices.find(tenant, deviceId).orElseThrow(() -> deviceNotFound(deviceId));
    return new Outcome(device.featuresRevision(), store.of(deviceId), false);
  }

  @Transactional(noRollbackFor = EmsException.class)
  public Outcome put(
      String tenant, UUID deviceId, String key, Map<String, Object> params, String ifMatch) {
    Device device = lockActive(tenant, deviceId, ifMatch);
    Map<String, FeatureSetting> set = store.of(deviceId);
    Instant now = clock.instant();
    if (!enable(tenant, deviceId, set, key, params, now)) {
      return new Outcome(device.featuresRevision(), set, false);
    }
    return publish(tenant, device, set, now);
  }

  @Transactional(noRollbackFor = EmsException.class)
  public Outcome remove(String tenant, UUID deviceId, String key, String ifMatch) {
    Device device = lockActive(tenant, deviceId, ifMatch);
    Map<String, FeatureSetting> set = store.of(deviceId);
    if (!set.containsKey(key)) {
      throw new EmsException(
          ErrorCode.FEATURE_NOT_FOUND, "Feature " + key + " is not enabled on the device", "key");
    }
    disable(tenant, deviceId, set, key);
    return publish(tenant, device, set, clock.instant());
  }

  /** One change of a batch: ENABLE {@code key} with {@code params}, or DISABLE it. */
  public record Change(String key, boolean enable, Map<String, Object> params) {}

  /** A change of a batch that the checks refused, and why. */
  public record Refused(Change change, EmsException reason) {}

  /** A batch's set and the changes refused (the others are in the set). */
  public record BatchOutcome(Outcome outcome, List<Refused> refused) {}

  /**
   * Applies several changes to the device's set as one change of it (a change set's changes for the
   * device): each in order through the checks an operator's change takes, against the set as the
   * changes before it left it; one new revision for all of them, so SC renders one version and no
   * intermediate one. A refused change is skipped and returned; an ENABLE of what the device runs,
   * or a DISABLE of what it does not, changes nothing (a redelivered batch makes no revision). A
   * decommissioned or unknown device refuses the whole batch (thrown).
   */
  @Transactional(noRollbackFor = EmsException.class)
  public BatchOutcome applyAll(String tenant, UUID deviceId, List<Change> changes) {
    Device device = lockActive(tenant, deviceId, null);
    Map<String, FeatureSetting> set = store.of(deviceId);
    Instant now = clock.instant();
    boolean changed = false;
    List<Refused> refused = new ArrayList<>();
    for (Change change : changes) {
      try {
        if (change.enable()) {
          Map<String, Object> params = change.params() == null ? Map.of() : change.params();
          changed |= enable(tenant, deviceId, set, change.key(), params, now);
        } else if (set.containsKey(change.key())) {
          disable(tenant, deviceId, set, change.key());
          changed = true;
        }
      } catch (EmsException e) {
        refused.add(new Refused(change, e));
      }
    }
    Outcome outcome =
        changed
            ? publish(tenant, device, set, now)
            : new Outcome(device.featuresRevision(), set, false);
    return new BatchOutcome(outcome, refused);
  }

  /**
   * Sets {@code key} in {@code set} (and the store) after the catalogue's checks; false when the
   * set holds that setting already.
   */
  private boolean enable(
      String tenant,
      UUID deviceId,
      Map<String, FeatureSetting> set,
      String key,
      Map<String, Object> params,
      Instant now) {
    Feature feature =
        catalogue
            .find(tenant, key)
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.FEATURE_NOT_FOUND, "No such feature: " + key, "key"));
    if (json.writeValueAsBytes(params).length > properties.maxParamsBytes()) {
      throw new EmsException(ErrorCode.VALIDATION_FAILED, "The parameters are too large", "params");
    }
    schemas.validateParams(feature, params);
    FeatureRules.checkEnable(rule(feature), rules(tenant, set)).ifPresent(v -> refuse(v, "key"));
    FeatureSetting setting = new FeatureSetting(feature.version(), params);
    FeatureSetting before = set.get(key);
    if (before != null
        && before.version() == setting.version()
        && json.valueToTree(before.params()).equals(json.valueToTree(params))) {
      return false;
    }
    store.put(tenant, deviceId, key, setting, now);
    set.put(key, setting);
    return true;
  }

  /** Removes {@code key}, which {@code set} holds, after the dependency checks. */
  private void disable(String tenant, UUID deviceId, Map<String, FeatureSetting> set, String key) {
    FeatureRules.checkRemove(key, rules(tenant, set)).ifPresent(v -> refuse(v, "key"));
    store.remove(deviceId, key);
    set.remove(key);
  }

  /**
   * Puts a feature of the device back to a setting it had (a rollout's rollback): exactly that
   * catalogue version and those parameters, or removed when {@code setting} is null; unchanged when
   * the set holds it already. Not checked against today's schema or rules: the setting was valid
   * when the device had it, and a rollback must not be refused because the catalogue moved on.
   */
  @Transactional(noRollbackFor = EmsException.class)
  public Outcome restore(String tenant, UUID deviceId, String key, FeatureSetting setting) {
    Device device = lockActive(tenant, deviceId, null);
    Map<String, FeatureSetting> set = store.of(deviceId);
    FeatureSetting current = set.get(key);
    boolean same =
        setting == null
            ? current == null
            : current != null
                && current.version() == setting.version()
                && json.valueToTree(current.params()).equals(json.valueToTree(setting.params()));
    if (same) {
      return new Outcome(device.featuresRevision(), set, false);
    }
    Instant now = clock.instant();
    if (setting == null) {
      store.remove(deviceId, key);
      set.remove(key);
    } else {
      store.put(tenant, deviceId, key, setting, now);
      set.put(key, setting);
    }
    return publish(tenant, device, set, now);
  }

  private Outcome publish(
      String tenant, Device device, Map<String, FeatureSetting> set, Instant now) {
    long revision = device.featuresRevision() + 1;
    devices.setFeaturesRevision(device.id(), revision);
    events.changed(tenant, device.id(), revision, set, now);
    return new Outcome(revision, set, true);
  }

  private Device lockActive(String tenant, UUID deviceId, String ifMatch) {
    Device device = devices.lock(tenant, deviceId).orElseThrow(() -> deviceNotFound(deviceId));
    if (!device.active()) {
      throw new EmsException(
          ErrorCode.DEVICE_DECOMMISSIONED, "Device " + deviceId + " is decommissioned");
    }
    Preconditions.checkIfMatch(ifMatch, device.featuresRevision());
    return device;
  }

  // Rules of the enabled features as the catalogue defines them now.
  private Map<String, Rule> rules(String tenant, Map<String, FeatureSetting> set) {
    Map<String, Rule> rules = new HashMap<>();
    for (String key : set.keySet()) {
      catalogue.find(tenant, key).ifPresent(f -> rules.put(key, rule(f)));
    }
    return rules;
  }

  private static Rule rule(Feature f) {
    return new Rule(f.key(), f.dependsOn(), f.conflictsWith());
  }

  private static void refuse(Violation v, String field) {
    ErrorCode code =
        switch (v.kind()) {
          case DEPENDENCY_MISSING -> ErrorCode.FEATURE_DEPENDENCY_MISSING;
          case CONFLICT -> ErrorCode.FEATURE_CONFLICT;
          case REQUIRED -> ErrorCode.FEATURE_REQUIRED;
        };
    throw new EmsException(code, v.message(), field);
  }

  private static EmsException deviceNotFound(UUID id) {
    return EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id);
  }
}
