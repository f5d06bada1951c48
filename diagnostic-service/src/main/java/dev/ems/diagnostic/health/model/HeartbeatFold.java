package dev.ems.diagnostic.health.model;

import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.TunnelStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds a heartbeat into a device's state. device-api's {@code receivedAt} orders heartbeats (a
 * device clock cannot be trusted); the device's {@code sentAt} only serves to flag clock skew. The
 * running bundle's sha is judged against the expected ones ({@link ConfigState#running}).
 */
public final class HeartbeatFold {

  public static final String ABSENT = "ABSENT";

  /** The new state, the tunnel changes it implies, and whether it was ignored as stale. */
  public record Result(
      DeviceState state, List<TunnelChange> changes, boolean stale, boolean skewed) {}

  private HeartbeatFold() {}

  public static Result apply(DeviceState state, HeartbeatReceived heartbeat, Duration skewLimit) {
    // the database keeps microseconds: compare at that precision or a redelivery looks newer
    Instant received = received(heartbeat);
    if (state.lastSeen() != null && !received.isAfter(state.lastSeen())) {
      return new Result(state, List.of(), true, false); // duplicate or out of order
    }
    Map<String, String> tunnels = tunnels(heartbeat);
    List<TunnelChange> changes = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(state.tunnels().keySet());
    names.addAll(tunnels.keySet());
    for (String name : names) {
      String before = state.tunnels().getOrDefault(name, ABSENT);
      String after = tunnels.getOrDefault(name, ABSENT);
      if (!before.equals(after)) {
        changes.add(new TunnelChange(name, before, after, received));
      }
    }
    Long skew = skew(heartbeat, skewLimit);
    ConfigState config = state.config().running(heartbeat.configSha256(), received);
    DeviceState next =
        new DeviceState(
            Connectivity.ONLINE,
            received,
            tunnels,
            skew,
            config,
            state.cert(),
            state.headendTunnel());
    return new Result(next, changes, false, skew != null);
  }

  /** The heartbeat's receivedAt at the precision the database keeps. */
  public static Instant received(HeartbeatReceived heartbeat) {
    return heartbeat.receivedAt().truncatedTo(ChronoUnit.MICROS);
  }

  /** Tunnel name → state as reported, in name order (the order they are stored in). */
  public static Map<String, String> tunnels(HeartbeatReceived heartbeat) {
    Map<String, String> tunnels = new TreeMap<>();
    if (heartbeat.tunnels() != null) {
      for (TunnelStatus t : heartbeat.tunnels()) {
        if (t != null && t.name() != null && !t.name().isBlank()) {
          tunnels.put(t.name(), t.state() == null ? "UNKNOWN" : t.state());
        }
      }
    }
    return tunnels;
  }

  /** Device clock minus device-api clock in seconds when beyond the limit, else null. */
  public static Long skew(HeartbeatReceived heartbeat, Duration skewLimit) {
    if (heartbeat.sentAt() == null) {
      return null;
    }
    Duration offset = Duration.between(received(heartbeat), heartbeat.sentAt());
    return offset.abs().compareTo(skewLimit) > 0 ? offset.toSeconds() : null;
  }
}
