package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Lookup of a tenant's devices for the other features of sc-service. */
@Component
public class Devices {

  private final DeviceRepository repository;

  Devices(DeviceRepository repository) {
    this.repository = repository;
  }

  /** The device, or a 404 problem when the tenant has no such device. */
  public Device require(String tenant, UUID id) {
    return repository
        .findByIdAndTenant(id, tenant)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id));
  }
}
