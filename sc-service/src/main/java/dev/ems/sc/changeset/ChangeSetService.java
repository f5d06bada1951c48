package dev.ems.sc.changeset;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.generation.ChangePreviews;
import dev.ems.sc.inventory.MaintenanceWindows;
import dev.ems.sc.template.StagedTemplateSets;
import dev.ems.sc.template.TemplateSet;
import dev.ems.sc.tenant.ChangePolicy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stages, previews, approves and discards change sets. Approval is four-eyes unless the tenant
 * turned it off ({@link ChangePolicy}): then the author may approve, which applies the set.
 */
@Service
class ChangeSetService {

  private static final Set<ChangeSet.Status> DISCARDABLE =
      EnumSet.of(ChangeSet.Status.DRAFT, ChangeSet.Status.APPROVED);
  static final int MAX_PREVIEWS = 200;

  private final ChangeSetStore store;
  private final StagingChecks checks;
  private final FeatureRulesCheck featureRules;
  private final StagedDevices stagedDevices;
  private final ChangePreviews previews;
  private final ChangePolicy policy;
  private final MaintenanceWindows windows;
  private final StagedTemplateSets templateSets;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  ChangeSetService(
      ChangeSetStore store,
      StagingChecks checks,
      FeatureRulesCheck featureRules,
      StagedDevices stagedDevices,
      ChangePreviews previews,
      ChangePolicy policy,
      MaintenanceWindows windows,
      StagedTemplateSets templateSets,
      JdbcClient jdbc,
      JsonMapper json) {
    this.store = store;
    this.checks = checks;
    this.featureRules = featureRules;
    this.stagedDevices = stagedDevices;
    this.previews = previews;
    this.policy = policy;
    this.windows = windows;
    this.templateSets = templateSets;
    this.jdbc = jdbc;
    this.json = json;
  }

  @Transactional
  ChangeSet create(ChangeSetBody body, Caller caller) {
    var apply = checks.applyMode(body.apply());
    var operations = checks.check(caller.tenant(), body.operations());
    featureRules.check(caller.tenant(), operations);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    var set =
        new ChangeSet(
            UUID.randomUUID(),
            caller.tenant(),
            body.description(),
            caller.keyId(),
            caller.keyName(),
            ChangeSet.Status.DRAFT,
            apply,
            operations,
            null,
            null,
            null,
            now,
            now);
    store.insert(set);
    return set;
  }

  @Transactional
  ChangeSet replace(UUID id, ChangeSetBody body, Caller caller) {
    ChangeSet set = lock(caller.tenant(), id);
    requireStatus(set, EnumSet.of(ChangeSet.Status.DRAFT), "edited");
    var apply = checks.applyMode(body.apply());
    var operations = checks.check(caller.tenant(), body.operations());
    featureRules.check(caller.tenant(), operations);
    store.replace(id, body.description(), apply, operations);
    return require(caller.tenant(), id);
  }

  @Transactional(readOnly = true)
  ChangeSet require(String tenant, UUID id) {
    return store
        .find(tenant, id)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.CHANGE_SET_NOT_FOUND, id));
  }

  @Transactional(readOnly = true)
  List<ChangeSet> list(String tenant) {
    return store.list(tenant);
  }

  @Transactional(readOnly = true)
  List<ChangeSet.DeviceState> devices(UUID id) {
    return store.devices(id);
  }

  /** Each affected device's diff, the first {@link #MAX_PREVIEWS} of them; nothing is stored. */
  @Transactional(readOnly = true)
  List<ChangePreviews.Preview> previews(ChangeSet set) {
    return stagedDevices.affected(set.tenant(), set.operations()).stream()
        .limit(MAX_PREVIEWS)
        .map(
            deviceId -> {
              var staged = stagedDevices.stage(set.tenant(), deviceId, set.operations());
              return previews.preview(staged.device(), staged.overrides());
            })
        .toList();
  }

  /**
   * Approves a DRAFT: each affected device is due at once ({@code NOW}, or no window on its site)
   * or at its site window's next opening. Operations that touch no device in service (a template
   * set of a model no device runs yet) are stored here.
   */
  @Transactional
  ChangeSet approve(UUID id, Caller caller) {
    ChangeSet set = lock(caller.tenant(), id);
    requireStatus(set, EnumSet.of(ChangeSet.Status.DRAFT), "approved");
    if (set.authorKeyId().equals(caller.keyId()) && policy.requiresApproval(caller.tenant())) {
      throw new EmsException(
          ErrorCode.AUTHOR_CANNOT_APPROVE,
          "The tenant requires a second person's approval: the author of change set "
              + id
              + " cannot approve it");
    }
    Instant now = Instant.now();
    var affected = stagedDevices.affected(set.tenant(), set.operations());
    for (UUID deviceId : affected) {
      store.addDevice(id, deviceId, set.tenant(), dueAt(set, deviceId, now));
    }
    storeUntouched(set, affected.isEmpty());
    store.approve(id, caller.keyName(), caller.keyId(), now);
    if (affected.isEmpty()) {
      store.setStatus(id, ChangeSet.Status.APPLIED);
    }
    return require(caller.tenant(), id);
  }

  @Transactional
  ChangeSet discard(UUID id, Caller caller) {
    ChangeSet set = lock(caller.tenant(), id);
    requireStatus(set, DISCARDABLE, "discarded");
    store.removeDevices(id);
    store.setStatus(id, ChangeSet.Status.DISCARDED);
    return require(caller.tenant(), id);
  }

  private Instant dueAt(ChangeSet set, UUID deviceId, Instant now) {
    if (set.apply() == ChangeSet.ApplyMode.NOW) {
      return now;
    }
    UUID siteId =
        jdbc.sql("select site_id from device where id = ?")
            .param(deviceId)
            .query(UUID.class)
            .optional()
            .orElse(null);
    // a device without a site, or a site without a window, takes the change at once
    return siteId == null
        ? now
        : windows.of(set.tenant(), siteId).map(w -> w.nextOpening(now)).orElse(now);
  }

  /** Template sets no device in service runs: stored at approval, nothing else would store them. */
  private void storeUntouched(ChangeSet set, boolean noDevice) {
    for (StagedOperation op : set.operations()) {
      if (op.type() == StagedOperation.Type.TEMPLATE_SET
          && (noDevice || !hasActiveDevice(set.tenant(), op.model()))) {
        templateSets.store(
            set.tenant(),
            new TemplateSet(op.model(), new TreeMap<>(op.files()), op.variablesSchema(), 0),
            "change-set:" + set.id());
      }
      if (op.type() == StagedOperation.Type.VARIABLES && op.siteId() != null && noDevice) {
        Map<String, Object> variables = stagedDevices.siteVariables(set.tenant(), op.siteId());
        StagedDevices.merge(variables, op.variables());
        jdbc.sql(
                "update site set variables = ?::jsonb, updated_at = now(),"
                    + " row_version = row_version + 1 where id = ?")
            .params(json.writeValueAsString(variables), op.siteId())
            .update();
      }
    }
  }

  private boolean hasActiveDevice(String tenant, String model) {
    return jdbc.sql(
            "select exists (select 1 from device where tenant_id = ? and model = ?"
                + " and status = 'ACTIVE')")
        .params(tenant, model)
        .query(Boolean.class)
        .single();
  }

  private ChangeSet lock(String tenant, UUID id) {
    return store
        .lock(tenant, id)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.CHANGE_SET_NOT_FOUND, id));
  }

  private static void requireStatus(ChangeSet set, Set<ChangeSet.Status> allowed, String verb) {
    if (!allowed.contains(set.status())) {
      throw new EmsException(
          ErrorCode.CHANGE_SET_STATE_INVALID,
          "Change set " + set.id() + " is " + set.status() + " and cannot be " + verb);
    }
  }
}
