package dev.ems.diagnostic.ingest;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.diagnostic.health.model.HeartbeatFold;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The fast path of ingest: almost every heartbeat only says "still here, nothing changed". For
 * those, one set-based update per batch moves liveness, uptime and firmware; the row qualifies only
 * if the device is ONLINE, the heartbeat is newer, and its tunnels and clock skew equal the stored
 * ones with no alert confirmation pending, and its running bundle leaves the config state as it is
 * (the same case analysis as {@code ConfigState.running}, so no query is added to compare it), so
 * health cannot change. Every other heartbeat (first one, tunnel change, stale, unknown device,
 * other tenant) is left to the full fold. No indexed column changes, so these are HOT updates.
 */
@Repository
class SteadyHeartbeats {

  /** Separates tunnel names/states when comparing them as one string; not used in names. */
  private static final String SEP = "\u001f";

  private final JdbcClient jdbc;

  SteadyHeartbeats(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Applies what qualifies; device id → whether a metric sample is due for it. */
  Map<UUID, Boolean> touch(
      List<EventEnvelope<HeartbeatReceived>> heartbeats,
      Instant now,
      Duration offlineAfter,
      Duration sampleInterval,
      Duration skewLimit) {
    int n = heartbeats.size();
    String[] ids = new String[n];
    String[] tenants = new String[n];
    String[] received = new String[n];
    String[] deadlines = new String[n];
    String[] sampleBefore = new String[n];
    String[] firmware = new String[n];
    String[] uptime = new String[n];
    String[] names = new String[n];
    String[] states = new String[n];
    String[] skew = new String[n];
    String[] sha = new String[n];
    for (int i = 0; i < n; i++) {
      var event = heartbeats.get(i);
      HeartbeatReceived hb = event.payload();
      Instant at = HeartbeatFold.received(hb);
      Map<String, String> tunnels = HeartbeatFold.tunnels(hb);
      Long skewSeconds = HeartbeatFold.skew(hb, skewLimit);
      ids[i] = hb.deviceId().toString();
      tenants[i] = event.tenant();
      received[i] = at.toString();
      // a receivedAt ahead of our clock counts from now: a fast clock cannot keep a device online
      deadlines[i] = (at.isAfter(now) ? now : at).plus(offlineAfter).toString();
      sampleBefore[i] = at.minus(sampleInterval).toString();
      firmware[i] = hb.firmware();
      uptime[i] = Long.toString(hb.uptimeSeconds());
      names[i] = String.join(SEP, tunnels.keySet());
      states[i] = String.join(SEP, tunnels.values());
      skew[i] = skewSeconds == null ? null : skewSeconds.toString();
      sha[i] = hb.configSha256();
    }
    Map<UUID, Boolean> touched = new HashMap<>();
    jdbc.sql(
            """
            update device_health s
               set last_seen = b.received, next_deadline = b.deadline, firmware = b.firmware,
                   uptime_seconds = b.uptime,
                   last_metrics_at = case
                     when s.last_metrics_at is null or s.last_metrics_at <= b.sample_before
                     then b.received else s.last_metrics_at end
              from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                          ?::timestamptz[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                          ?::bigint[], ?::text[])
                     as b(id, tenant, received, deadline, sample_before, firmware, uptime,
                          names, states, skew, sha)
             where s.device_id = b.id and s.tenant_id = b.tenant and s.connectivity = 'ONLINE'
               and s.last_seen < b.received
               and array_to_string(s.tunnel_names, chr(31)) = b.names
               and array_to_string(s.tunnel_states, chr(31)) = b.states
               and s.clock_skew_seconds is not distinct from b.skew
               and cardinality(s.pending_conditions) = 0
               and case
                     when b.sha is null then s.running_sha is null and s.drift_since is null
                     when b.received < s.applied_at then true
                     when (s.applied_sha is null and s.desired_sha is null)
                          or b.sha = s.applied_sha or b.sha = s.desired_sha
                       then s.running_sha = b.sha and s.drift_since is null
                     else s.running_sha = b.sha and s.drift_since is not null
                   end
            returning s.device_id, s.last_metrics_at = b.received
            """)
        .params(
            ids,
            tenants,
            received,
            deadlines,
            sampleBefore,
            firmware,
            uptime,
            names,
            states,
            skew,
            sha)
        .query(
            (RowCallbackHandler) rs -> touched.put(rs.getObject(1, UUID.class), rs.getBoolean(2)));
    return touched;
  }
}
