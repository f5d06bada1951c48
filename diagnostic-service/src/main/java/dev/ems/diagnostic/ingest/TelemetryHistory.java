package dev.ems.diagnostic.ingest;

import dev.ems.common.event.HeartbeatReceived;
import dev.ems.diagnostic.health.model.TunnelChange;
import dev.ems.diagnostic.system.DiagnosticProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Tunnel state changes and sampled metrics, kept for {@code diag.history-retention}. */
@Repository
class TelemetryHistory {

  record TunnelEvent(String tenant, UUID deviceId, TunnelChange change) {}

  record Sample(String tenant, HeartbeatReceived heartbeat) {}

  private static final int DELETE_CHUNK = 5_000;

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final DiagnosticProperties properties;

  TelemetryHistory(
      JdbcTemplate jdbc, JsonMapper json, Clock clock, DiagnosticProperties properties) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.properties = properties;
  }

  void tunnelChanges(List<TunnelEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "insert into tunnel_event (tenant_id, device_id, tunnel, state, previous_state, at)"
            + " values (?, ?, ?, ?, ?, ?)",
        events,
        events.size(),
        (ps, e) -> {
          ps.setString(1, e.tenant());
          ps.setObject(2, e.deviceId());
          ps.setString(3, e.change().tunnel());
          ps.setString(4, e.change().state());
          ps.setString(5, e.change().previousState());
          ps.setTimestamp(6, Timestamp.from(e.change().at()));
        });
  }

  /** One statement per batch; only sampled heartbeats pay for the JSON. */
  void samples(List<Sample> samples) {
    if (samples.isEmpty()) {
      return;
    }
    int n = samples.size();
    String[] tenants = new String[n];
    String[] devices = new String[n];
    String[] at = new String[n];
    String[] uptime = new String[n];
    String[] tunnels = new String[n];
    for (int i = 0; i < n; i++) {
      HeartbeatReceived hb = samples.get(i).heartbeat();
      tenants[i] = samples.get(i).tenant();
      devices[i] = hb.deviceId().toString();
      at[i] = hb.receivedAt().toString();
      uptime[i] = Long.toString(hb.uptimeSeconds());
      tunnels[i] = json.writeValueAsString(hb.tunnels() == null ? List.of() : hb.tunnels());
    }
    jdbc.update(
        "insert into device_metric (tenant_id, device_id, at, uptime_seconds, tunnels)"
            + " select * from unnest(?::text[], ?::uuid[], ?::timestamptz[], ?::bigint[],"
            + " ?::jsonb[])",
        tenants,
        devices,
        at,
        uptime,
        tunnels);
  }

  /** Deletes history past retention in small chunks so no sweep holds long locks. */
  @Scheduled(fixedDelayString = "${diag.sweep-interval}", initialDelayString = "PT30S")
  void expire() {
    Timestamp before = Timestamp.from(clock.instant().minus(properties.historyRetention()));
    for (String table : List.of("tunnel_event", "device_metric")) {
      int deleted;
      do {
        deleted =
            jdbc.update(
                "delete from "
                    + table
                    + " where id in (select id from "
                    + table
                    + " where at < ? limit ?)",
                before,
                DELETE_CHUNK);
      } while (deleted == DELETE_CHUNK);
    }
  }
}
