package dev.ems.bench.diagnostics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Time from each silenced device's last heartbeat to the moment the service marked it OFFLINE
 * ({@code changed_at} of the transition, set by the sweep from the service clock).
 */
final class OfflineProbe {

  private final JdbcClient jdbc;
  private final Map<UUID, Instant> lastHeartbeat;
  private final List<Duration> delays = new ArrayList<>();

  OfflineProbe(JdbcClient jdbc, Map<UUID, Instant> lastHeartbeat) {
    this.jdbc = jdbc;
    this.lastHeartbeat = lastHeartbeat;
  }

  void await(Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (offline().size() < lastHeartbeat.size() && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    delays.clear();
    offline().forEach((id, at) -> delays.add(Duration.between(lastHeartbeat.get(id), at)));
  }

  private Map<UUID, Instant> offline() {
    Map<UUID, Instant> result = new java.util.HashMap<>();
    jdbc.sql(
            "select device_id, changed_at from device_health where connectivity = 'OFFLINE'"
                + " and device_id = any(?::uuid[])")
        .param(lastHeartbeat.keySet().stream().map(UUID::toString).toArray(String[]::new))
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> result.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()));
    return result;
  }

  void print(Duration interval) {
    long max = delays.stream().mapToLong(Duration::toMillis).max().orElse(-1);
    double avg = delays.stream().mapToLong(Duration::toMillis).average().orElse(-1);
    System.out.printf(
        "silenced devices        %d, marked OFFLINE %d (missed: %d)%n",
        lastHeartbeat.size(), delays.size(), lastHeartbeat.size() - delays.size());
    System.out.printf(
        "time to OFFLINE         avg %.1f s, max %.1f s (bound: 2 intervals = %d s) %s%n",
        avg / 1000,
        max / 1000.0,
        interval.toSeconds() * 2,
        max >= 0 && max <= interval.toMillis() * 2 && delays.size() == lastHeartbeat.size()
            ? "OK"
            : "FAIL");
  }
}
