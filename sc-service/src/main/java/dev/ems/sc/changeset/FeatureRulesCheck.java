package dev.ems.sc.changeset;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.feature.FeatureParameterSchemas;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The dependency and conflict rules of the features a change set enables or disables, checked on
 * each device's feature set as the set would leave it — the checks tw-service makes when it applies
 * the change, made when the set is staged so that the operator learns of a refusal then, not as a
 * device FAILED after approval. Codes as tw-service's: {@code feature-dependency-missing}, {@code
 * feature-conflict}, {@code feature-required}, naming {@code operations[i].featureKey}.
 */
@Component
class FeatureRulesCheck {

  private final StagedDevices stagedDevices;
  private final FeatureParameterSchemas features;

  FeatureRulesCheck(StagedDevices stagedDevices, FeatureParameterSchemas features) {
    this.stagedDevices = stagedDevices;
    this.features = features;
  }

  void check(String tenant, List<StagedOperation> operations) {
    Set<UUID> devices = new LinkedHashSet<>();
    operations.stream()
        .filter(op -> op.type() == StagedOperation.Type.FEATURE)
        .forEach(op -> devices.addAll(op.deviceIds()));
    Map<String, Optional<FeatureParameterSchemas.Current>> rules = new HashMap<>();
    for (UUID device : devices) {
      Set<String> after = stagedDevices.stage(tenant, device, operations).features().keySet();
      for (int i = 0; i < operations.size(); i++) {
        StagedOperation op = operations.get(i);
        if (op.type() != StagedOperation.Type.FEATURE || !op.deviceIds().contains(device)) {
          continue;
        }
        String field = "operations[" + i + "].featureKey";
        String key = op.featureKey();
        if (StagedOperation.ENABLE.equals(op.action())) {
          var own = rule(tenant, key, rules);
          for (String needed :
              own.map(FeatureParameterSchemas.Current::dependsOn).orElse(List.of())) {
            if (!after.contains(needed)) {
              throw refused(
                  ErrorCode.FEATURE_DEPENDENCY_MISSING,
                  key + " depends on " + needed + ", which device " + device + " would not run",
                  field);
            }
          }
          for (String other : after) {
            boolean conflict =
                own.map(r -> r.conflictsWith().contains(other)).orElse(false)
                    || rule(tenant, other, rules)
                        .map(r -> r.conflictsWith().contains(key))
                        .orElse(false);
            if (conflict && !other.equals(key)) {
              throw refused(
                  ErrorCode.FEATURE_CONFLICT,
                  key + " conflicts with " + other + " on device " + device,
                  field);
            }
          }
        } else {
          for (String other : after) {
            if (rule(tenant, other, rules).map(r -> r.dependsOn().contains(key)).orElse(false)) {
              throw refused(
                  ErrorCode.FEATURE_REQUIRED,
                  other + " on device " + device + " depends on " + key,
                  field);
            }
          }
        }
      }
    }
  }

  private Optional<FeatureParameterSchemas.Current> rule(
      String tenant, String key, Map<String, Optional<FeatureParameterSchemas.Current>> rules) {
    return rules.computeIfAbsent(key, k -> features.current(tenant, k));
  }

  private static EmsException refused(ErrorCode code, String message, String field) {
    return new EmsException(code, message, field);
  }
}
