package dev.ems.diagnostic.health.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything health is derived from. {@code tunnels}: tunnel name → state as last reported; {@code
 * clockSkewSeconds}: device clock minus device-api clock when beyond the threshold, else null.
 */
public record DeviceState(
    Connectivity connectivity,
    Instant lastSeen,
    Map<String, String> tunnels,
    Long clockSkewSeconds,
    ConfigState config,
    CertState cert) {

  public DeviceState {
    tunnels = java.util.Collections.unmodifiableMap(new TreeMap<>(tunnels));
  }

  public static DeviceState unknown() {
    return new DeviceState(
        Connectivity.UNKNOWN, null, Map.of(), null, ConfigState.NONE, CertState.NONE);
  }

  public DeviceState offline() {
    return new DeviceState(Connectivity.OFFLINE, lastSeen, tunnels, clockSkewSeconds, config, cert);
  }

  public DeviceState withConfig(ConfigState newConfig) {
    return new DeviceState(connectivity, lastSeen, tunnels, clockSkewSeconds, newConfig, cert);
  }

  public DeviceState withCert(CertState newCert) {
    return new DeviceState(connectivity, lastSeen, tunnels, clockSkewSeconds, config, newCert);
  }
}
