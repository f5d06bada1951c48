package dev.ems.sc.changeset;

import dev.ems.common.event.ChangeSetFeaturesApproved.FeatureChange;
import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.sc.generation.RenderOverrides;
import dev.ems.sc.inventory.DeviceProfile;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.template.StagedTemplateSets;
import dev.ems.sc.template.TemplateSet;
import dev.ems.sc.variables.DeviceFeatures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which devices a change set touches and what each of them would render with: a site's variables
 * touch the site's devices in service, a template set every device of its model in the tenant, a
 * feature the devices it names.
 */
@Component
class StagedDevices {

  /**
   * One device with the set's operations applied: its profile carries the merged device variables;
   * {@code siteVariables} / {@code templateSet} are non-null when the set changes them; {@code
   * featureChanges} are what tw-service is asked to do.
   */
  record Staged(
      DeviceProfile device,
      boolean deviceVariablesChanged,
      Map<String, Object> siteVariables,
      TemplateSet templateSet,
      SortedMap<String, FeatureSetting> features,
      List<FeatureChange> featureChanges) {

    RenderOverrides overrides() {
      return new RenderOverrides(
          siteVariables, templateSet, featureChanges.isEmpty() ? null : features);
    }
  }

  private final Devices devices;
  private final DeviceFeatures features;
  private final StagedTemplateSets templateSets;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  StagedDevices(
      Devices devices,
      DeviceFeatures features,
      StagedTemplateSets templateSets,
      JdbcClient jdbc,
      JsonMapper json) {
    this.devices = devices;
    this.features = features;
    this.templateSets = templateSets;
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The affected devices in service, in id order. */
  SequencedSet<UUID> affected(String tenant, List<StagedOperation> operations) {
    TreeSet<UUID> ids = new TreeSet<>();
    for (StagedOperation op : operations) {
      switch (op.type()) {
        case VARIABLES -> {
          if (op.deviceId() != null) {
            ids.add(op.deviceId());
          } else {
            ids.addAll(active("site_id = ?", tenant, op.siteId()));
          }
        }
        case TEMPLATE_SET -> ids.addAll(active("model = ?", tenant, op.model()));
        case FEATURE -> ids.addAll(op.deviceIds());
      }
    }
    // a device named by id may have been decommissioned since it was staged
    return new LinkedHashSet<>(
        ids.isEmpty() ? List.of() : ids.stream().filter(id -> isActive(tenant, id)).toList());
  }

  Staged stage(String tenant, UUID deviceId, List<StagedOperation> operations) {
    DeviceProfile device = devices.profile(tenant, deviceId);
    Map<String, Object> deviceVariables = map(device.variablesJson());
    boolean deviceChanged = false;
    Map<String, Object> siteVariables = null;
    TemplateSet templateSet = null;
    SortedMap<String, FeatureSetting> settings = new TreeMap<>(features.settingsOf(deviceId));
    List<FeatureChange> changes = new ArrayList<>();
    for (StagedOperation op : operations) {
      switch (op.type()) {
        case VARIABLES -> {
          if (deviceId.equals(op.deviceId())) {
            merge(deviceVariables, op.variables());
            deviceChanged = true;
          } else if (op.siteId() != null && op.siteId().equals(device.siteId())) {
            if (siteVariables == null) {
              siteVariables = siteVariables(tenant, op.siteId());
            }
            merge(siteVariables, op.variables());
          }
        }
        case TEMPLATE_SET -> {
          if (op.model().equals(device.model())) {
            templateSet =
                new TemplateSet(
                    op.model(),
                    new TreeMap<>(op.files()),
                    op.variablesSchema(),
                    templateSets.current(tenant, op.model()).revision() + 1);
          }
        }
        case FEATURE -> {
          if (op.deviceIds().contains(deviceId)) {
            if (StagedOperation.ENABLE.equals(op.action())) {
              settings.put(op.featureKey(), new FeatureSetting(op.featureVersion(), op.params()));
            } else {
              settings.remove(op.featureKey());
            }
            changes.add(new FeatureChange(op.featureKey(), op.action(), op.params()));
          }
        }
      }
    }
    DeviceProfile staged =
        new DeviceProfile(
            device.id(),
            device.tenant(),
            device.serial(),
            device.model(),
            device.name(),
            device.siteId(),
            device.tags(),
            json.writeValueAsString(deviceVariables),
            device.active());
    return new Staged(staged, deviceChanged, siteVariables, templateSet, settings, changes);
  }

  /** Sets each variable of {@code changes} in {@code into}; a null value removes the variable. */
  static void merge(Map<String, Object> into, Map<String, Object> changes) {
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            into.remove(k);
          } else {
            into.put(k, v);
          }
        });
  }

  Map<String, Object> siteVariables(String tenant, UUID siteId) {
    return map(
        jdbc.sql("select variables::text from site where id = ? and tenant_id = ?")
            .params(siteId, tenant)
            .query(String.class)
            .optional()
            .orElse("{}"));
  }

  private List<UUID> active(String where, String tenant, Object value) {
    return jdbc.sql(
            "select id from device where tenant_id = ? and status = 'ACTIVE' and "
                + where
                + " order by id limit "
                + StagingChecks.MAX_DEVICES)
        .params(tenant, value)
        .query(UUID.class)
        .list();
  }

  private boolean isActive(String tenant, UUID id) {
    return Objects.equals(
        "ACTIVE",
        jdbc.sql("select status from device where id = ? and tenant_id = ?")
            .params(id, tenant)
            .query(String.class)
            .optional()
            .orElse(null));
  }

  private Map<String, Object> map(String text) {
    return new LinkedHashMap<>(json.readValue(text, new TypeReference<Map<String, Object>>() {}));
  }
}
