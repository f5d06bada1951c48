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

  /** The device runs a bundle that is neither its last applied nor its latest published one. */
  public static final String CONFIG_DRIFT = "CONFIG_DRIFT";

  private HealthRules() {}

  public static Health derive(DeviceState state) {
    List<Finding> findings = new ArrayList<>();
    connectivity(state, findings);
    config(state.config(), findings);
    drift(state.config(), findings);
    certificate(state.cert(), findings);
    Level level = Level.OK;
    for (Finding f : findings) {
      level = level.worst(f.severity());
    }
    return new Health(level, findings);
  }

  private static void connectivity(DeviceState state, List<Finding> findings) {
    headend(state, findings);
    switch (state.connectivity()) {
      case UNKNOWN ->
          findings.add(new Finding("NO_HEARTBEAT", Level.UNKNOWN, "no heartbeat received yet"));
      case OFFLINE ->
          findings.add(
              new Finding(
                  "OFFLINE", Level.CRITICAL, "offline: no heartbeat since " + state.lastSeen()));
      case ONLINE -> {
        // tunnel states are only meaningful while the device reports them
        tunnels(state.tunnels(), state.headendTunnel() == null, findings);
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

  /**
   * The headend's view of the management tunnel is trusted over the device's own report, and holds
   * whether or not the device can still report (a revoked device cannot): a tunnel the headend does
   * not hold is down; a device that disagrees with it is a finding of its own. Its condition is not
   * {@code TUNNEL_DOWN:}, so its alert opens at once: the hysteresis against flapping device
   * reports ({@link AlertConfirmation}) counts heartbeats, which a revoked device no longer sends.
   */
  private static void headend(DeviceState state, List<Finding> findings) {
    String headend = state.headendTunnel();
    if (headend == null) {
      return;
    }
    if (!ESTABLISHED.equals(headend)) {
      findings.add(
          new Finding(
              "TUNNEL_DOWN_AT_HEADEND:" + MANAGEMENT_TUNNEL,
              Level.CRITICAL,
              "management tunnel " + MANAGEMENT_TUNNEL + " is " + headend + " at the EMS headend"));
    }
    String device = state.tunnels().get(MANAGEMENT_TUNNEL);
    if (state.connectivity() == Connectivity.ONLINE
        && device != null
        && ESTABLISHED.equals(device) != ESTABLISHED.equals(headend)) {
      findings.add(
          new Finding(
              "TUNNEL_DISAGREES:" + MANAGEMENT_TUNNEL,
              Level.WARNING,
              "the device reports "
                  + MANAGEMENT_TUNNEL
                  + " "
                  + device
                  + ", the EMS headend has it "
                  + headend));
    }
  }

  private static void tunnels(
      Map<String, String> tunnels, boolean deviceDecides, List<Finding> findings) {
    String mgmt = tunnels.get(MANAGEMENT_TUNNEL);
    if (deviceDecides && !ESTABLISHED.equals(mgmt)) {
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

  /**
   * Drift is a WARNING, not CRITICAL: the device still runs a complete bundle and stays reachable
   * (a lost management tunnel is CRITICAL on its own), and CRITICAL is what makes a rollout roll a
   * device back, which would not help a device that runs something else than it was given.
   */
  private static void drift(ConfigState config, List<Finding> findings) {
    if (!config.drifted()) {
      return;
    }
    String expected = expected(config.appliedVersion(), config.appliedSha(), "applied");
    if (config.desiredSha() != null && !config.desiredSha().equals(config.appliedSha())) {
      String published = expected(config.desiredVersion(), config.desiredSha(), "published");
      expected = expected == null ? published : expected + " or " + published;
    }
    findings.add(
        new Finding(
            CONFIG_DRIFT,
            Level.WARNING,
            "config out of sync: device runs bundle "
                + shortSha(config.runningSha())
                + ", expected "
                + expected));
  }

  private static String expected(Integer version, String sha, String what) {
    return sha == null ? null : shortSha(sha) + " (v" + version + " " + what + ")";
  }

  /** The first 12 hex digits: enough to tell bundles apart in a message. */
  static String shortSha(String sha) {
    return sha == null || sha.length() <= 12 ? sha : sha.substring(0, 12);
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
