package dev.ems.diagnostic.fleet;

import dev.ems.common.error.ErrorCode;
import dev.ems.diagnostic.fleet.FleetQueries.DeviceSummary;
import dev.ems.diagnostic.fleet.FleetQueries.DriftedDevice;
import dev.ems.diagnostic.fleet.FleetQueries.TunnelEventView;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fleet health: counts by level, the devices in a level (paged), the drifted devices (paged), a
 * device's tunnel history.
 */
@RestController
class FleetController {

  record Page<T>(List<T> items, int page, int size, long total) {}

  private final FleetQueries fleet;

  FleetController(FleetQueries fleet) {
    this.fleet = fleet;
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/fleet/health")
  Map<String, Long> health(Caller caller) {
    return fleet.countByHealth(caller.tenant());
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/fleet/devices")
  Page<DeviceSummary> devices(
      @RequestParam String health,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    String level = health.toUpperCase(Locale.ROOT);
    if (!FleetQueries.LEVELS.contains(level)) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "health must be one of " + FleetQueries.LEVELS, "health");
    }
    return new Page<>(
        fleet.devices(caller.tenant(), level, page, size),
        page,
        size,
        fleet.count(caller.tenant(), level));
  }

  /** Devices running a bundle they are not expected to run, longest drifted first. */
  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/fleet/drift")
  Page<DriftedDevice> drift(
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    return new Page<>(
        fleet.drifted(caller.tenant(), page, size),
        page,
        size,
        fleet.countDrifted(caller.tenant()));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/devices/{id}/tunnels/history")
  List<TunnelEventView> tunnelHistory(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int size,
      Caller caller) {
    if (!fleet.exists(caller.tenant(), id)) {
      throw EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id);
    }
    return fleet.tunnelHistory(caller.tenant(), id, page, size);
  }
}
