package dev.ems.diagnostic.health;

import dev.ems.common.error.ErrorCode;
import dev.ems.diagnostic.health.model.ConfigState;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One device's health with its reasons and the state behind them; {@code configSync} is what the
 * heartbeats' running bundle says of the config ({@link ConfigState#sync()}).
 */
@RestController
class HealthController {

  record TunnelView(String name, String state) {}

  record CertificateView(String status, String serial, String detail) {}

  record DeviceHealthResponse(
      UUID deviceId,
      String serial,
      String health,
      List<String> reasons,
      Instant changedAt,
      String connectivity,
      Instant lastSeen,
      String firmware,
      Long uptimeSeconds,
      Long clockSkewSeconds,
      List<TunnelView> tunnels,
      ConfigState config,
      CertificateView certificate,
      String configSync,
      String headendTunnel) {}

  private final DeviceStates states;

  HealthController(DeviceStates states) {
    this.states = states;
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/devices/{id}/health")
  DeviceHealthResponse device(@PathVariable UUID id, Caller caller) {
    DeviceRecord r =
        states
            .find(caller.tenant(), id)
            .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id));
    var s = r.state();
    return new DeviceHealthResponse(
        r.deviceId(),
        r.serial(),
        r.level().name(),
        r.reasons(),
        r.changedAt(),
        s.connectivity().name(),
        s.lastSeen(),
        r.firmware(),
        r.uptimeSeconds(),
        s.clockSkewSeconds(),
        s.tunnels().entrySet().stream().map(e -> new TunnelView(e.getKey(), e.getValue())).toList(),
        s.config(),
        new CertificateView(s.cert().status(), s.cert().serial(), s.cert().detail()),
        s.config().sync(),
        s.headendTunnel());
  }
}
