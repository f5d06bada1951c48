package dev.ems.diagnostic.health.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Derives a device's health from its state. Pure: the same state always gives the same health. */
public final class HealthRules {

  /** The management IPsec tunnel; without it EMS cannot reach the device. */
  public static final String MANAGEMENT_TUNNEL = "ems-mgmt";

  static final String ESTABLISHED = "ESTABLISHED";

  private HealthRules() {}

  public static Health derive(DeviceState state) {
    List<Finding> findings = new ArrayList<>();
    connectivity(state, findings);
    config(state.config(), findings);
    certificate(state.cert(), findings);
    Level level = Level.OK;
    for (Finding f : findings) {
      level = level.worst(f.severity());
    }
    return new Health(level, findings);
  }

  private static void connectivity(DeviceState state, List<Finding> findings) {
    switch (state.connectivity()) {
      case UNKNOWN ->
          findings.add(new Finding("NO_HEARTBEAT", Level.UNKNOWN, "no heartbeat received yet"));
      case OFFLINE ->
          findings.add(
              new Finding(
                  "OFFLINE", Level.CRITICAL, "offline: no heartbeat since " + state.lastSeen()));
      case ONLINE -> {
        // tunnel states are only meaningful while the device reports them
        tunnels(state.tunnels(), findings);
        if (state.clockSkewSeconds() != null) {
          findings.add(
              new Finding(
                  "CLOCK_SKEW",
                  Level.WARNING,
                  "device clock is off by " + state.clockSkewSeconds() + " s"));
        }
      }
    }
  }

  private static void tunnels(Map<String, String> tunnels, List<Finding> findings) {
    String mgmt = tunnels.get(MANAGEMENT_TUNNEL);
    if (!ESTABLISHED.equals(mgmt)) {
      findings.add(
          new Finding(
              "TUNNEL_DOWN:" + MANAGEMENT_TUNNEL,
              Level.CRITICAL,
              mgmt == null
                  ? "management tunnel " + MANAGEMENT_TUNNEL + " not reported"
                  : "management tunnel " + MANAGEMENT_TUNNEL + " is " + mgmt));
    }
    tunnels.forEach(
        (name, tunnelState) -> {
          if (!name.equals(MANAGEMENT_TUNNEL) && !ESTABLISHED.equals(tunnelState)) {
            findings.add(
                new Finding(
                    "TUNNEL_DOWN:" + name, Level.WARNING, "tunnel " + name + " is " + tunnelState));
          }
        });
  }

  private static void config(ConfigState config, List<Finding> findings) {
    if (config.desiredVersion() == null || config.reportedStatus() == null) {
      return; // nothing published or nothing reported yet: no verdict
    }
    boolean current = Objects.equals(config.reportedSha(), config.desiredSha());
    if ("FAILED".equals(config.reportedStatus())
        && Objects.equals(config.reportedVersion(), config.desiredVersion())) {
      findings.add(
          new Finding(
              "CONFIG_FAILED",
              Level.WARNING,
              "config v" + config.reportedVersion() + " failed: " + config.reportedError()));
    } else if (!current || !"APPLIED".equals(config.reportedStatus())) {
      findings.add(
          new Finding(
              "CONFIG_OUT_OF_SYNC",
              Level.WARNING,
              "config out of sync: device runs v"
                  + config.reportedVersion()
                  + ", current is v"
                  + config.desiredVersion()));
    }
  }

  private static void certificate(CertState cert, List<Finding> findings) {
    switch (cert.status()) {
      case "REVOKED" ->
          findings.add(
              new Finding(
                  "CERT_REVOKED",
                  Level.CRITICAL,
                  "certificate " + cert.serial() + " revoked (" + cert.detail() + ")"));
      case "EXPIRING" ->
          findings.add(
              new Finding(
                  "CERT_EXPIRING",
                  Level.WARNING,
                  "certificate " + cert.serial() + " expires at " + cert.detail()));
      default -> {}
    }
  }
}
