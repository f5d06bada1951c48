package dev.ems.sc.changeset;

import dev.ems.sc.generation.ChangeSetRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Follows each applying device of a change set to the version its change made, and ends a set
 * APPLIED or FAILED once all its devices ended; the sweep that runs it applies due devices first.
 * Every change is conditional on the state it expects, so replicas running it at once change
 * nothing twice.
 */
@Component
class ChangeSetProgress {

  private static final Logger log = LoggerFactory.getLogger(ChangeSetProgress.class);
  private static final int BATCH = 500;

  private final ChangeSetApplier applier;
  private final ChangeSetRequests requests;
  private final JdbcClient jdbc;
  private final Duration featureWait;

  ChangeSetProgress(
      ChangeSetApplier applier,
      ChangeSetRequests requests,
      JdbcClient jdbc,
      @Value("${sc.change-set-feature-wait:PT10M}") Duration featureWait) {
    this.applier = applier;
    this.requests = requests;
    this.jdbc = jdbc;
    this.featureWait = featureWait;
  }

  @Scheduled(
      fixedDelayString = "${sc.change-set-sweep-interval:PT2S}",
      initialDelayString = "${sc.change-set-sweep-interval:PT2S}")
  void sweep() {
    Instant now = Instant.now();
    applier.applyDue(now);
    progress(now);
  }

  /** Follows applying devices to their version and ends the sets whose devices all ended. */
  void progress(Instant now) {
    record Applying(UUID changeSetId, UUID deviceId, UUID requestId, Instant startedAt) {}
    List<Applying> applying =
        jdbc.sql(
                "select change_set_id, device_id, request_id, started_at from change_set_device"
                    + " where status = 'APPLYING' order by started_at limit ?")
            .param(BATCH)
            .query(
                (rs, n) ->
                    new Applying(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getTimestamp(4).toInstant()))
            .list();
    for (Applying a : applying) {
      var outcome =
          a.requestId() != null
              ? requests.outcome(a.requestId())
              : requests.featureOutcome(a.deviceId(), a.startedAt());
      if (outcome.isPresent()) {
        var o = outcome.get();
        end(
            jdbc,
            a.changeSetId(),
            a.deviceId(),
            o.status().equals("COMPLETED") ? "APPLIED" : "FAILED",
            o.version(),
            o.reason());
      } else if (a.requestId() == null && a.startedAt().plus(featureWait).isBefore(now)) {
        end(
            jdbc,
            a.changeSetId(),
            a.deviceId(),
            "FAILED",
            null,
            "tw-service made no feature change for the device within "
                + featureWait.toSeconds()
                + " s (a refused feature, e.g. a missing dependency, changes nothing)");
      }
    }
    List<UUID> ended =
        jdbc.sql(
                """
                update change_set c set
                  status = case when exists (select 1 from change_set_device d
                    where d.change_set_id = c.id and d.status = 'FAILED') then 'FAILED'
                    else 'APPLIED' end,
                  failure_reason = (select string_agg(d.device_id || ': ' || d.failure_reason, '; '
                    order by d.device_id) from change_set_device d
                    where d.change_set_id = c.id and d.status = 'FAILED'),
                  updated_at = now()
                where c.status = 'APPLYING' and not exists (select 1 from change_set_device d
                  where d.change_set_id = c.id and d.status in ('PENDING', 'APPLYING'))
                returning c.id
                """)
            .query(UUID.class)
            .list();
    ended.forEach(id -> log.info("change set {} ended", id));
  }

  /** Ends a device that is still PENDING or APPLYING. */
  static void end(
      JdbcClient jdbc,
      UUID changeSetId,
      UUID deviceId,
      String status,
      Integer version,
      String reason) {
    jdbc.sql(
            "update change_set_device set status = ?, config_version = ?, failure_reason = ?"
                + " where change_set_id = ? and device_id = ? and status in ('PENDING', 'APPLYING')")
        .params(status, version, reason, changeSetId, deviceId)
        .update();
  }
}
