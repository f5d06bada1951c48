package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.List;
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

  /** The device's rendering inputs, or a 404 problem when the tenant has no such device. */
  public DeviceProfile profile(String tenant, UUID id) {
    return jdbc.sql(
            "select id, tenant_id, serial, model, name, site_id, tags, variables::text, status"
                + " from device where id = ? and tenant_id = ?")
        .params(id, tenant)
        .query(
            (rs, n) ->
                new DeviceProfile(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getObject(6, UUID.class),
                    List.of((String[]) rs.getArray(7).getArray()),
                    rs.getString(8),
                    Device.Status.ACTIVE.name().equals(rs.getString(9))))
        .optional()
        .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, id));
  }

  /** The device's site, if it has one. */
  public Optional<Site> siteOf(DeviceProfile device) {
    return device.siteId() == null
        ? Optional.empty()
        : sites.findByIdAndTenant(device.siteId(), device.tenant());
  }
}
