package dev.ems.sc.changeset;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An operation as stored once checked: variables sealed (secrets never stored in clear), a tag
 * resolved to the devices that carried it when staged, and an ENABLE's feature version (the newest
 * SC knows, the one tw-service's catalogue gives the device).
 */
record StagedOperation(
    Type type,
    UUID deviceId,
    UUID siteId,
    Map<String, Object> variables,
    String model,
    Map<String, String> files,
    Map<String, Object> variablesSchema,
    List<UUID> deviceIds,
    String tag,
    String featureKey,
    String action,
    Map<String, Object> params,
    Integer featureVersion) {

  enum Type {
    VARIABLES,
    TEMPLATE_SET,
    FEATURE
  }

  static final String ENABLE = "ENABLE";
  static final String DISABLE = "DISABLE";

  static StagedOperation variables(UUID deviceId, UUID siteId, Map<String, Object> sealed) {
    return new StagedOperation(
        Type.VARIABLES,
        deviceId,
        siteId,
        sealed,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static StagedOperation templateSet(
      String model, Map<String, String> files, Map<String, Object> schema) {
    return new StagedOperation(
        Type.TEMPLATE_SET,
        null,
        null,
        null,
        model,
        files,
        schema,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static StagedOperation feature(
      List<UUID> deviceIds,
      String tag,
      String key,
      String action,
      Map<String, Object> params,
      Integer version) {
    return new StagedOperation(
        Type.FEATURE,
        null,
        null,
        null,
        null,
        null,
        null,
        deviceIds,
        tag,
        key,
        action,
        params,
        version);
  }
}
