package dev.ems.sc.changeset;

import dev.ems.sc.generation.ChangeSetRequests;
import dev.ems.sc.template.StagedTemplateSets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies approved change sets device by device when each is due (at once, or when its site's
 * window opens; {@link ChangeSetProgress} follows each to its version). Several replicas may run
 * the sweep: a due device is taken under a row lock with skip locked, in its own transaction, and
 * every later state change is conditional on the state it expects.
 *
 * <p>For a device, the set's variables and template set are stored in SC's tables; then either its
 * feature changes go to tw-service (whose feature-set change regenerates the device and renders the
 * stored variables with it: one version) or, without feature changes, a config request is queued
 * ({@code requested_by change-set:<id>}).
 */
@Component
class ChangeSetApplier {

  private static final Logger log = LoggerFactory.getLogger(ChangeSetApplier.class);
  private static final int BATCH = 500;

  private record Due(UUID changeSetId, UUID deviceId, String tenant) {}

  private final ChangeSetStore store;
  private final StagedDevices stagedDevices;
  private final StagedTemplateSets templateSets;
  private final ChangeSetRequests requests;
  private final ChangeSetEvents events;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final TransactionTemplate tx;

  ChangeSetApplier(
      ChangeSetStore store,
      StagedDevices stagedDevices,
      StagedTemplateSets templateSets,
      ChangeSetRequests requests,
      ChangeSetEvents events,
      JdbcClient jdbc,
      JsonMapper json,
      TransactionTemplate tx) {
    this.store = store;
    this.stagedDevices = stagedDevices;
    this.templateSets = templateSets;
    this.requests = requests;
    this.events = events;
    this.jdbc = jdbc;
    this.json = json;
    this.tx = tx;
  }

  /** Applies every device due at {@code now}; returns how many. */
  int applyDue(Instant now) {
    return applyDue(now, null);
  }

  /**
   * Applies the devices due at {@code now}, of one set only when {@code only} is given; returns how
   * many. A device whose application throws ends FAILED (in a new transaction) rather than being
   * retried on every sweep.
   */
  int applyDue(Instant now, UUID only) {
    int applied = 0;
    while (applied < BATCH) {
      try {
        if (!Boolean.TRUE.equals(tx.execute(s -> applyNext(now, only)))) {
          break;
        }
      } catch (ApplyFailed e) {
        log.error(
            "change set {}: applying device {} failed: {}",
            e.due.changeSetId(),
            e.due.deviceId(),
            e.getCause().getClass().getName());
        tx.executeWithoutResult(
            s ->
                end(
                    e.due,
                    "FAILED",
                    null,
                    "applying the change failed ("
                        + e.getCause().getClass().getSimpleName()
                        + ")"));
      }
      applied++;
    }
    return applied;
  }

  private static final class ApplyFailed extends RuntimeException {
    private final Due due;

    ApplyFailed(Due due, RuntimeException cause) {
      super(cause);
      this.due = due;
    }
  }

  private boolean applyNext(Instant now, UUID only) {
    Optional<Due> due =
        jdbc.sql(
                """
                select d.change_set_id, d.device_id, d.tenant_id from change_set_device d
                  join change_set c on c.id = d.change_set_id
                where d.status = 'PENDING' and d.due_at <= ?
                  and c.status in ('APPROVED', 'APPLYING')
                  and (cast(? as uuid) is null or d.change_set_id = cast(? as uuid))
                order by d.due_at limit 1
                for update of d skip locked
                """)
            .params(Timestamp.from(now), only, only)
            .query(
                (rs, n) ->
                    new Due(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)))
            .optional();
    if (due.isEmpty()) {
      return false;
    }
    try {
      apply(due.get());
    } catch (RuntimeException e) {
      throw new ApplyFailed(due.get(), e);
    }
    return true;
  }

  private void apply(Due due) {
    if (!start(due.changeSetId())) {
      return;
    }
    ChangeSet set = store.find(due.tenant(), due.changeSetId()).orElseThrow();
    boolean active =
        jdbc.sql("select count(*) from device where id = ? and status = 'ACTIVE'")
                .param(due.deviceId())
                .query(Integer.class)
                .single()
            == 1;
    if (!active) {
      end(due, "FAILED", null, "the device was decommissioned before the change applied");
      return;
    }
    var staged = stagedDevices.stage(due.tenant(), due.deviceId(), set.operations());
    if (staged.deviceVariablesChanged()) {
      jdbc.sql(
              "update device set variables = ?::jsonb, updated_at = now(),"
                  + " row_version = row_version + 1 where id = ?")
          .params(staged.device().variablesJson(), due.deviceId())
          .update();
    }
    if (staged.siteVariables() != null) {
      // the site's other devices of the set store the same merge again: it changes nothing more
      writeSiteVariables(due, staged.device().siteId(), set.operations());
    }
    if (staged.templateSet() != null) {
      templateSets.store(
          due.tenant(), staged.templateSet(), ChangeSetRequests.requestedBy(set.id()));
    }
    if (!staged.featureChanges().isEmpty()) {
      events.featuresApproved(
          due.tenant(), set.id(), due.deviceId(), staged.featureChanges(), set.approvedAt());
      jdbc.sql(
              "update change_set_device set status = 'APPLYING', via_features = true,"
                  + " started_at = now() where change_set_id = ? and device_id = ?")
          .params(due.changeSetId(), due.deviceId())
          .update();
    } else {
      UUID requestId = requests.queue(due.tenant(), due.deviceId(), set.id());
      jdbc.sql(
              "update change_set_device set status = 'APPLYING', request_id = ?,"
                  + " started_at = now() where change_set_id = ? and device_id = ?")
          .params(requestId, due.changeSetId(), due.deviceId())
          .update();
    }
  }

  /**
   * Marks the set APPLYING; false when a discard won the race. Only the first device's transaction
   * writes the set's row (APPROVED → APPLYING), holding it until it commits, so a concurrent
   * discard either waits and then finds the set APPLYING (and refuses), or commits first and this
   * finds it DISCARDED. Later devices do not lock the row: several replicas apply one set's devices
   * in parallel without waiting for each other.
   */
  private boolean start(UUID changeSetId) {
    jdbc.sql(
            "update change_set set status = 'APPLYING', updated_at = now()"
                + " where id = ? and status = 'APPROVED'")
        .param(changeSetId)
        .update();
    return "APPLYING"
        .equals(
            jdbc.sql("select status from change_set where id = ?")
                .param(changeSetId)
                .query(String.class)
                .single());
  }

  /** Merges the set's variables for the site into what is stored now. */
  private void writeSiteVariables(Due due, UUID siteId, List<StagedOperation> operations) {
    Map<String, Object> variables = stagedDevices.siteVariables(due.tenant(), siteId);
    operations.stream()
        .filter(op -> siteId.equals(op.siteId()))
        .forEach(op -> StagedDevices.merge(variables, op.variables()));
    jdbc.sql(
            "update site set variables = ?::jsonb, updated_at = now(),"
                + " row_version = row_version + 1 where id = ? and variables <> ?::jsonb")
        .params(json.writeValueAsString(variables), siteId, json.writeValueAsString(variables))
        .update();
  }

  private void end(Due due, String status, Integer version, String reason) {
    ChangeSetProgress.end(jdbc, due.changeSetId(), due.deviceId(), status, version, reason);
  }
}
