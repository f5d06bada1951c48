package dev.ems.sc.changeset;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an operator stages: {@code apply} NOW or MAINTENANCE_WINDOW, and the operations.
 *
 * <p>An operation by {@code type}: {@code VARIABLES} ({@code deviceId} or {@code siteId}, {@code
 * variables} merged into the stored ones, a null value removes one); {@code TEMPLATE_SET} ({@code
 * model}, {@code files}, optional {@code variablesSchema}); {@code FEATURE} ({@code deviceIds} or
 * {@code tag}, {@code featureKey}, {@code action} ENABLE with {@code params} or DISABLE).
 */
record ChangeSetBody(String description, String apply, List<Operation> operations) {

  record Operation(
      String type,
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
      Map<String, Object> params) {}
}
