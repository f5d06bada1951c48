package dev.ems.diagnostic.health;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.web.EmsException;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Fleet and device health for operators. */
@RestController
class HealthController {

  private final DeviceHealthStore store;

  HealthController(DeviceHealthStore store) {
    this.store = store;
  }

  @GetMapping("/api/v1/devices/{id}/health")
  DeviceHealthStore.DeviceHealth device(@PathVariable UUID id, Caller caller) {
    return store
        .find(caller.tenant(), id)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id));
  }

  @GetMapping("/api/v1/fleet/health")
  Map<String, Long> fleet(Caller caller) {
    return store.countByHealth(caller.tenant());
  }
}
