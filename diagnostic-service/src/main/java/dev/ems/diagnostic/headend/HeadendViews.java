package dev.ems.diagnostic.headend;

import dev.ems.diagnostic.health.DeviceStates;
import dev.ems.diagnostic.health.HealthService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Applies a headend's report to the devices of its tenant: ESTABLISHED for every device it holds an
 * SA for, DOWN for every device it held one for at its previous report and no longer does. Devices
 * the headend has never held keep no headend view (their own reports decide). One transaction per
 * device, as for every other state change. The answer names the IKE SAs of devices whose
 * certificate PKI revoked, for the reporter to terminate ({@code swanctl --terminate --ike-id}).
 */
@Service
class HeadendViews {

  static final String ESTABLISHED = "ESTABLISHED";
  static final String DOWN = "DOWN";

  private final DeviceStates states;
  private final HealthService health;

  HeadendViews(DeviceStates states, HealthService health) {
    this.states = states;
    this.health = health;
  }

  /** An IKE SA the headend should close: its device's certificate is revoked. */
  record Terminate(long ikeId, UUID device) {}

  record Applied(int established, int down, List<Terminate> terminate) {}

  Applied apply(String tenant, String listSas) {
    List<HeadendSas.Sa> sas = HeadendSas.sas(listSas);
    Set<UUID> up = HeadendSas.established(listSas);
    // a revoked device keeps its SA until it authenticates again: the reporter closes it now
    Set<UUID> revoked =
        new HashSet<>(
            states.revoked(tenant, sas.stream().map(HeadendSas.Sa::device).distinct().toList()));
    List<Terminate> terminate =
        sas.stream()
            .filter(sa -> revoked.contains(sa.device()))
            .map(sa -> new Terminate(sa.ikeId(), sa.device()))
            .toList();
    Set<UUID> lost = new TreeSet<>(states.headendEstablished(tenant));
    lost.removeAll(up);
    for (UUID device : up) {
      // a device of another tenant (or unknown here) is dropped by apply, never changed
      health.apply(tenant, device, "headend", s -> s.withHeadendTunnel(ESTABLISHED));
    }
    for (UUID device : lost) {
      health.apply(tenant, device, "headend", s -> s.withHeadendTunnel(DOWN));
    }
    return new Applied(up.size(), lost.size(), terminate);
  }
}
