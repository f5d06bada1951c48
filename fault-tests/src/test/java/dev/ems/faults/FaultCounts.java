package dev.ems.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a {@link FaultFleet} was told against what the suite's databases hold once it recovered:
 * each number that must be zero after a fault, and how many acknowledgements it covers.
 */
record FaultCounts(
    int requestsAcknowledged,
    int requestsCompleted,
    int requestsFailedWithReason,
    int requestsLostOrUnfinished,
    int stuckRequests,
    int versionsCreatedTwice,
    int appliedReportsAcknowledged,
    int appliedReportsNotVisible,
    int heartbeatsNotVisible,
    int checksAcknowledged,
    int commandsLost,
    int featureSetsNotPublished,
    int commandsHandedOutAgain) {

  private static final JsonMapper json = new JsonMapper();

  static FaultCounts of(FaultFleet fleet, FaultTarget faults) throws Exception {
    try (Connection db = faults.database()) {
      UUID[] acknowledged =
          fleet.requestsAcknowledged.stream().map(UUID::fromString).toArray(UUID[]::new);
      int completed =
          count(
              db,
              "select count(*) from sc.config_request where id = any(?) and status = 'COMPLETED'",
              (Object) acknowledged);
      int failed =
          count(
              db,
              "select count(*) from sc.config_request where id = any(?) and status = 'FAILED'"
                  + " and coalesce(failure_reason, '') <> ''",
              (Object) acknowledged);
      int stuck =
          count(
              db,
              "select count(*) from sc.config_request where status in ('QUEUED', 'PROCESSING')");
      int twice =
          count(
              db,
              "select count(*) from (select request_id from sc.config_version"
                  + " where request_id is not null group by request_id having count(*) > 1) x");
      int notApplied = 0;
      for (String applied : fleet.appliedAcknowledged) {
        String[] parts = applied.split("/");
        notApplied +=
            1
                - count(
                    db,
                    "select count(*) from sc.config_version where device_id = ?::uuid"
                        + " and version = ?::int and apply_status = 'APPLIED'",
                    parts[0],
                    parts[1]);
      }
      int heartbeats = 0;
      for (var last : fleet.heartbeatAcknowledged.entrySet()) {
        heartbeats +=
            1
                - count(
                    db,
                    "select count(*) from diag.device_health where device_id = ?::uuid"
                        + " and uptime_seconds >= ?::bigint",
                    last.getKey(),
                    last.getValue().toString());
      }
      UUID[] checks = fleet.checksAcknowledged.stream().map(UUID::fromString).toArray(UUID[]::new);
      int succeeded =
          count(
              db,
              "select count(*) from diag.device_check where id = any(?) and status = 'SUCCEEDED'",
              (Object) checks);
      int handedAgain =
          fleet.devices.stream().mapToInt(d -> d.sim().commandsHandedOutAgain()).sum();
      return new FaultCounts(
          acknowledged.length,
          completed,
          failed,
          acknowledged.length - completed - failed,
          stuck,
          twice,
          fleet.appliedAcknowledged.size(),
          notApplied,
          heartbeats,
          checks.length,
          checks.length - succeeded,
          featureSetsNotPublished(fleet, db),
          handedAgain);
    }
  }

  /** Devices whose newest version does not render the feature set tw-service holds for them. */
  private static int featureSetsNotPublished(FaultFleet fleet, Connection db) throws Exception {
    int missing = 0;
    for (FaultFleet.Device d : fleet.devices) {
      var set =
          json.readTree(
              fleet
                  .call("GET", "tw-service", "/api/v1/devices/" + d.id() + "/features", null)
                  .body());
      List<String> held = new ArrayList<>();
      set.path("features")
          .forEach(
              f -> {
                if (f.path("key").asString().equals("ntp-dns")) {
                  held.add(f.path("params").path("ntp_servers").path(0).asString());
                }
              });
      if (held.isEmpty()) {
        continue;
      }
      missing +=
          1
              - count(
                  db,
                  "select count(*) from (select inputs -> 'features' -> 'ntp-dns' -> 'ntp_servers'"
                      + " ->> 0 as ntp from sc.config_version where device_id = ?::uuid"
                      + " order by version desc limit 1) v where v.ntp = ?",
                  d.id(),
                  held.getFirst());
    }
    return missing;
  }

  private static int count(Connection db, String sql, Object... params) throws SQLException {
    try (var statement = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof UUID[] ids) {
          statement.setArray(i + 1, db.createArrayOf("uuid", ids));
        } else {
          statement.setObject(i + 1, params[i]);
        }
      }
      try (var rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Counts until nothing is lost, duplicated or stuck, at most {@code within}; fails with the last
   * counts (which number stayed above zero) when they never settle.
   */
  static FaultCounts awaitSettled(FaultFleet fleet, FaultTarget faults, java.time.Duration within)
      throws Exception {
    FaultCounts last = null;
    long deadline = System.nanoTime() + within.toNanos();
    Exception failure = null;
    while (System.nanoTime() < deadline) {
      try {
        last = of(fleet, faults);
        if (last.nothingLostDuplicatedOrStuck()) {
          return last;
        }
      } catch (Exception e) {
        failure = e;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError(
        "not settled within " + within + ": " + last + diagnosis(fleet, faults), failure);
  }

  /** The rows behind the counts that are not zero, for the failure message. */
  private static String diagnosis(FaultFleet fleet, FaultTarget faults) {
    StringBuilder out = new StringBuilder();
    try (Connection db = faults.database()) {
      UUID[] acknowledged =
          fleet.requestsAcknowledged.stream().map(UUID::fromString).toArray(UUID[]::new);
      UUID[] checks = fleet.checksAcknowledged.stream().map(UUID::fromString).toArray(UUID[]::new);
      rows(
          db,
          out,
          "requests not final",
          "select a.id, r.status, r.failure_reason, r.created_at, r.updated_at from unnest(?) a(id)"
              + " left join sc.config_request r on r.id = a.id"
              + " where r.status is null or r.status not in ('COMPLETED', 'FAILED')"
              + " or (r.status = 'FAILED' and coalesce(r.failure_reason, '') = '')",
          (Object) acknowledged);
      rows(
          db,
          out,
          "stuck",
          "select id, status, requested_by, idempotency_key, redrives, created_at, updated_at"
              + " from sc.config_request"
              + " where status in ('QUEUED', 'PROCESSING')");
      rows(
          db,
          out,
          "versions twice",
          "select request_id, count(*) from sc.config_version where request_id is not null"
              + " group by request_id having count(*) > 1");
      rows(
          db,
          out,
          "checks not succeeded",
          "select a.id, c.status, c.device_id from unnest(?) a(id)"
              + " left join diag.device_check c on c.id = a.id"
              + " where c.status is distinct from 'SUCCEEDED'",
          (Object) checks);
      rows(
          db,
          out,
          "their commands in device-api",
          "select c.command_id, c.device_id, c.delivered_at, c.acknowledged_at, c.hand_outs"
              + " from unnest(?) a(id) join device.device_command c on c.command_id = a.id"
              + " join diag.device_check d on d.id = a.id where d.status <> 'SUCCEEDED'",
          (Object) checks);
      for (String applied : fleet.appliedAcknowledged) {
        String[] parts = applied.split("/");
        if (count(
                db,
                "select count(*) from sc.config_version where device_id = ?::uuid"
                    + " and version = ?::int and apply_status = 'APPLIED'",
                parts[0],
                parts[1])
            == 0) {
          out.append("\n  applied not visible: ").append(applied);
          rows(
              db,
              out,
              "   its version",
              "select version, apply_status from sc.config_version where device_id = ?::uuid"
                  + " and version = ?::int",
              parts[0],
              parts[1]);
        }
      }
      for (var last : fleet.heartbeatAcknowledged.entrySet()) {
        rows(
            db,
            out,
            "heartbeat " + last.getKey() + " acknowledged uptime " + last.getValue(),
            "select uptime_seconds, connectivity from diag.device_health"
                + " where device_id = ?::uuid and uptime_seconds < ?::bigint",
            last.getKey(),
            last.getValue().toString());
      }
    } catch (Exception e) {
      out.append("\n  (no diagnosis: ").append(e).append(')');
    }
    return out + faults.log();
  }

  private static void rows(
      Connection db, StringBuilder out, String title, String sql, Object... params)
      throws SQLException {
    try (var statement = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof UUID[] ids) {
          statement.setArray(i + 1, db.createArrayOf("uuid", ids));
        } else {
          statement.setObject(i + 1, params[i]);
        }
      }
      try (var rs = statement.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          out.append("\n  ").append(title).append(':');
          for (int c = 1; c <= columns; c++) {
            out.append(' ').append(rs.getString(c));
          }
        }
      }
    }
  }

  /** Every number that must be zero is zero. */
  boolean nothingLostDuplicatedOrStuck() {
    return requestsLostOrUnfinished == 0
        && stuckRequests == 0
        && versionsCreatedTwice == 0
        && appliedReportsNotVisible == 0
        && heartbeatsNotVisible == 0
        && commandsLost == 0
        && featureSetsNotPublished == 0;
  }
}
