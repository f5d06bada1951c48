package dev.ems.sc.changeset;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.JsonSchemas;
import dev.ems.sc.feature.FeatureParameterSchemas;
import dev.ems.sc.inventory.DeviceProfile;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.template.StagedTemplateSets;
import dev.ems.sc.template.Templates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks what an operator stages and turns it into {@link StagedOperation}s; every refusal is a 4xx
 * problem naming the field ({@code operations[2].featureKey}), thrown before anything is stored.
 */
@Component
class StagingChecks {

  static final int MAX_OPERATIONS = 100;
  static final int MAX_VARIABLES = 500;
  static final int MAX_DEVICES = 10_000;

  private final Devices devices;
  private final Secrets secrets;
  private final Templates templates;
  private final StagedTemplateSets templateSets;
  private final FeatureParameterSchemas features;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final SchemaRegistry registry = JsonSchemas.offlineRegistry();

  StagingChecks(
      Devices devices,
      Secrets secrets,
      Templates templates,
      StagedTemplateSets templateSets,
      FeatureParameterSchemas features,
      JdbcClient jdbc,
      JsonMapper json) {
    this.devices = devices;
    this.secrets = secrets;
    this.templates = templates;
    this.templateSets = templateSets;
    this.features = features;
    this.jdbc = jdbc;
    this.json = json;
  }

  ChangeSet.ApplyMode applyMode(String apply) {
    if (apply == null) {
      throw invalid("apply", "apply is NOW or MAINTENANCE_WINDOW");
    }
    try {
      return ChangeSet.ApplyMode.valueOf(apply);
    } catch (IllegalArgumentException e) {
      throw invalid("apply", "apply is NOW or MAINTENANCE_WINDOW, not " + apply);
    }
  }

  List<StagedOperation> check(String tenant, List<ChangeSetBody.Operation> operations) {
    if (operations == null || operations.isEmpty() || operations.size() > MAX_OPERATIONS) {
      throw invalid("operations", "A change set has 1 to " + MAX_OPERATIONS + " operations");
    }
    List<StagedOperation> staged = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      String at = "operations[" + i + "]";
      ChangeSetBody.Operation op = operations.get(i);
      if (op == null) {
        throw invalid(at, "An operation is an object");
      }
      StagedOperation.Type type = type(op.type(), at);
      staged.add(
          switch (type) {
            case VARIABLES -> variables(tenant, op, at);
            case TEMPLATE_SET -> templateSet(tenant, op, at);
            case FEATURE -> feature(tenant, op, at);
          });
    }
    return staged;
  }

  private StagedOperation variables(String tenant, ChangeSetBody.Operation op, String at) {
    if ((op.deviceId() == null) == (op.siteId() == null)) {
      throw invalid(at + ".deviceId", "A VARIABLES operation names a deviceId or a siteId");
    }
    if (op.variables() == null || op.variables().size() > MAX_VARIABLES) {
      throw invalid(at + ".variables", "1 to " + MAX_VARIABLES + " variables");
    }
    Map<String, Object> stored;
    if (op.deviceId() != null) {
      DeviceProfile device = activeDevice(tenant, op.deviceId(), at + ".deviceId");
      stored = map(device.variablesJson());
      try {
        templates.checkVariables(tenant, device.model(), withoutRemovals(op.variables()));
      } catch (EmsException e) {
        throw under(at, e);
      }
    } else {
      stored =
          map(
              jdbc.sql("select variables::text from site where id = ? and tenant_id = ?")
                  .params(op.siteId(), tenant)
                  .query(String.class)
                  .optional()
                  .orElseThrow(() -> invalid(at + ".siteId", "No site " + op.siteId())));
    }
    Map<String, Object> sealed;
    try {
      sealed = secrets.seal(tenant, op.variables(), stored);
    } catch (EmsException e) {
      throw under(at, e);
    }
    return StagedOperation.variables(op.deviceId(), op.siteId(), sealed);
  }

  private StagedOperation templateSet(String tenant, ChangeSetBody.Operation op, String at) {
    var set = templateSets.check(tenant, op.model(), op.files(), op.variablesSchema(), at);
    return StagedOperation.templateSet(set.model(), set.files(), set.variablesSchema());
  }

  private StagedOperation feature(String tenant, ChangeSetBody.Operation op, String at) {
    if (op.featureKey() == null || op.featureKey().isBlank()) {
      throw invalid(at + ".featureKey", "A FEATURE operation names a featureKey");
    }
    var feature =
        features
            .current(tenant, op.featureKey())
            .orElseThrow(() -> invalid(at + ".featureKey", "No such feature: " + op.featureKey()));
    String action = op.action() == null ? "" : op.action().toUpperCase(Locale.ROOT);
    if (!action.equals(StagedOperation.ENABLE) && !action.equals(StagedOperation.DISABLE)) {
      throw invalid(at + ".action", "action is ENABLE or DISABLE");
    }
    List<UUID> ids = deviceIds(tenant, op, at);
    Map<String, Object> params = null;
    if (action.equals(StagedOperation.ENABLE)) {
      params = op.params() == null ? Map.of() : op.params();
      checkParams(feature, params, at + ".params");
    } else if (op.params() != null) {
      throw invalid(at + ".params", "DISABLE takes no params");
    }
    return StagedOperation.feature(
        ids, op.tag(), op.featureKey(), action, params, feature.version());
  }

  private List<UUID> deviceIds(String tenant, ChangeSetBody.Operation op, String at) {
    boolean byIds = op.deviceIds() != null && !op.deviceIds().isEmpty();
    if (byIds == (op.tag() != null)) {
      throw invalid(at + ".deviceIds", "A FEATURE operation names deviceIds or a tag");
    }
    if (byIds) {
      if (op.deviceIds().size() > MAX_DEVICES) {
        throw invalid(at + ".deviceIds", "At most " + MAX_DEVICES + " devices");
      }
      for (int j = 0; j < op.deviceIds().size(); j++) {
        activeDevice(tenant, op.deviceIds().get(j), at + ".deviceIds[" + j + "]");
      }
      return List.copyOf(new java.util.LinkedHashSet<>(op.deviceIds()));
    }
    List<UUID> tagged =
        jdbc.sql(
                "select id from device where tenant_id = ? and status = 'ACTIVE'"
                    + " and tags @> array[?]::text[] order by id limit ?")
            .params(tenant, op.tag(), MAX_DEVICES + 1)
            .query(UUID.class)
            .list();
    if (tagged.isEmpty() || tagged.size() > MAX_DEVICES) {
      throw invalid(at + ".tag", "The tag must select 1 to " + MAX_DEVICES + " devices in service");
    }
    return tagged;
  }

  private void checkParams(
      FeatureParameterSchemas.Current feature, Map<String, Object> params, String field) {
    if (feature.parametersSchema() == null) {
      return;
    }
    Schema schema = registry.getSchema((JsonNode) json.valueToTree(feature.parametersSchema()));
    schema.validate((JsonNode) json.valueToTree(params)).stream()
        .min(Comparator.comparing(e -> JsonSchemas.fieldPath(e, field)))
        .ifPresent(
            e -> {
              throw new EmsException(
                  ErrorCode.FEATURE_PARAMS_INVALID,
                  "The parameters do not match the schema of feature "
                      + feature.key()
                      + " v"
                      + feature.version()
                      + ": "
                      + e.getMessage(),
                  JsonSchemas.fieldPath(e, field));
            });
  }

  /** The device if it is the tenant's and in service, else a 422 naming {@code field}. */
  private DeviceProfile activeDevice(String tenant, UUID id, String field) {
    DeviceProfile device;
    try {
      device = devices.profile(tenant, id);
    } catch (EmsException e) {
      throw invalid(field, "No device " + id);
    }
    if (!device.active()) {
      throw invalid(field, "Device " + id + " is decommissioned");
    }
    return device;
  }

  private static StagedOperation.Type type(String type, String at) {
    try {
      return StagedOperation.Type.valueOf(type == null ? "" : type);
    } catch (IllegalArgumentException e) {
      throw invalid(at + ".type", "type is VARIABLES, TEMPLATE_SET or FEATURE");
    }
  }

  private static Map<String, Object> withoutRemovals(Map<String, Object> variables) {
    Map<String, Object> kept = new java.util.LinkedHashMap<>();
    variables.forEach(
        (k, v) -> {
          if (v != null) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  private Map<String, Object> map(String text) {
    return json.readValue(text, new TypeReference<Map<String, Object>>() {});
  }

  /** The problem with its field put under the operation's path. */
  private static EmsException under(String at, EmsException e) {
    return new EmsException(
        e.code(), e.getMessage(), e.field() == null ? at : at + "." + e.field());
  }

  static EmsException invalid(String field, String message) {
    return new EmsException(ErrorCode.VALIDATION_FAILED, message, field);
  }
}
