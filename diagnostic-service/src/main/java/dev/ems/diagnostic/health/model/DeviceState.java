package dev.ems.diagnostic.health.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything health is derived from. {@code tunnels}: tunnel name → state as last reported; {@code
 * clockSkewSeconds}: device clock minus device-api clock when beyond the threshold, else null;
 * {@code headendTunnel}: the management tunnel as the EMS headend sees it, null until it reports.
 */
public record DeviceState(
    Connectivity connectivity,
    Instant lastSeen,
    Map<String, String> tunnels,
    Long clockSkewSeconds,
    ConfigState config,
    CertState cert,
    String headendTunnel) {

  public DeviceState {
    tunnels = java.util.Collections.unmodifiableMap(new TreeMap<>(tunnels));
  }

  /** A state the headend has not reported on. */
  public DeviceState(
      Connectivity connectivity,
      Instant lastSeen,
      Map<String, String> tunnels,
      Long clockSkewSeconds,
      ConfigState config,
      CertState cert) {
    this(connectivity, lastSeen, tunnels, clockSkewSeconds, config, cert, null);
  }

  public static DeviceState unknown() {
    return new DeviceState(
        Connectivity.UNKNOWN, null, Map.of(), null, ConfigState.NONE, CertState.NONE);
  }

  public DeviceState offline() {
    return new DeviceState(
        Connectivity.OFFLINE, lastSeen, tunnels, clockSkewSeconds, config, cert, headendTunnel);
  }

  public DeviceState withConfig(ConfigState newConfig) {
    return new DeviceState(
        connectivity, lastSeen, tunnels, clockSkewSeconds, newConfig, cert, headendTunnel);
  }

  public DeviceState withCert(CertState newCert) {
    return new DeviceState(
        connectivity, lastSeen, tunnels, clockSkewSeconds, config, newCert, headendTunnel);
  }

  /** The management tunnel as the headend reports it (ESTABLISHED or DOWN). */
  public DeviceState withHeadendTunnel(String state) {
    return new DeviceState(connectivity, lastSeen, tunnels, clockSkewSeconds, config, cert, state);
  }
}
