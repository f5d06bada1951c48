package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Lookup of a tenant's devices and sites for the other features of sc-service. */
@Component
public class Devices {

  private final DeviceRepository devices;
  private final SiteRepository sites;

  Devices(DeviceRepository devices, SiteRepository sites) {
    this.devices = devices;
    this.sites = sites;
  }

  /** The device, or a 404 problem when the tenant has no such device. */
  public Device require(String tenant, UUID id) {
    return devices
        .findByIdAndTenant(id, tenant)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id));
  }

  /** The device if it is in service; 404 when unknown, 409 when decommissioned. */
  public Device requireActive(String tenant, UUID id) {
    Device device = require(tenant, id);
    if (!device.isActive()) {
      throw new EmsException(
          ErrorCode.DEVICE_DECOMMISSIONED, "Device " + id + " is decommissioned");
    }
    return device;
  }

  /** The device's site, if it has one. */
  public Optional<Site> siteOf(Device device) {
    return device.siteId() == null
        ? Optional.empty()
        : sites.findByIdAndTenant(device.siteId(), device.tenant());
  }
}
