package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Lookup of a tenant's devices and sites for the other features of sc-service. */
@Component
public class Devices {

  private final DeviceRepository devices;
  private final SiteRepository sites;
  private final JdbcClient jdbc;

  Devices(DeviceRepository devices, SiteRepository sites, JdbcClient jdbc) {
    this.devices = devices;
    this.sites = sites;
    this.jdbc = jdbc;
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

  /**
   * Like {@link #requireActive} without loading the device: one indexed read, for the paths that
   * only need to know the device may take a change (accepting a config request).
   */
  public void checkActive(String tenant, UUID id) {
    String status =
        jdbc.sql("select status from device where id = ? and tenant_id = ?")
            .params(id, tenant)
            .query(String.class)
            .optional()
            .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id));
    if (!Device.Status.ACTIVE.name().equals(status)) {
      throw new EmsException(
          ErrorCode.DEVICE_DECOMMISSIONED, "Device " + id + " is decommissioned");
    }
  }

  /** The device's site, if it has one. */
  public Optional<Site> siteOf(Device device) {
    return device.siteId() == null
        ? Optional.empty()
        : sites.findByIdAndTenant(device.siteId(), device.tenant());
  }
}
