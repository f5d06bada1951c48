package dev.ems.diagnostic.alert;

import dev.ems.diagnostic.health.model.Finding;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opens and clears alerts as a device's conditions change. Hysteresis: a cleared condition only
 * starts a hold-down ({@code clear_since}); the alert resolves when the hold-down passes with the
 * condition still clear. A condition that returns within it re-raises the same alert (counted in
 * {@code occurrences}) instead of opening a new one, so a flapping tunnel yields one alert.
 */
@Repository
public class Alerts {

  private final JdbcClient jdbc;

  Alerts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void sync(
      String tenant, UUID deviceId, List<String> before, List<Finding> now, Instant at) {
    Set<String> active = new HashSet<>();
    for (Finding finding : now) {
      active.add(finding.condition());
      if (!before.contains(finding.condition())) {
        raise(tenant, deviceId, finding, at);
      }
    }
    for (String condition : before) {
      if (!active.contains(condition)) {
        jdbc.sql(
                "update alert set clear_since = ? where device_id = ? and condition = ?"
                    + " and resolved_at is null and clear_since is null")
            .params(Timestamp.from(at), deviceId, condition)
            .update();
      }
    }
  }

  /**
   * The partial unique index on open alerts makes this an upsert: a second raise (another instance,
   * a flap back) updates the open alert rather than opening another.
   */
  private void raise(String tenant, UUID deviceId, Finding finding, Instant at) {
    jdbc.sql(
            """
            insert into alert (id, tenant_id, device_id, condition, severity, message, opened_at,
                               last_raised_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (device_id, condition) where resolved_at is null do update
              set occurrences = alert.occurrences
                    + case when alert.clear_since is null then 0 else 1 end,
                  clear_since = null, last_raised_at = excluded.last_raised_at,
                  severity = excluded.severity, message = excluded.message
            """)
        .params(
            UUID.randomUUID(),
            tenant,
            deviceId,
            finding.condition(),
            finding.severity().name(),
            finding.message(),
            Timestamp.from(at),
            Timestamp.from(at))
        .update();
  }

  /** Resolves alerts whose condition stayed clear for the hold-down; the number resolved. */
  @Transactional
  public int resolveCleared(Instant clearBefore) {
    return jdbc.sql(
            "update alert set resolved_at = clear_since where resolved_at is null"
                + " and clear_since <= ?")
        .param(Timestamp.from(clearBefore))
        .update();
  }
}
