package dev.ems.sc.inventory;

import java.util.List;
import java.util.UUID;

/**
 * What configuration rendering needs of a device, read in one statement without the entity (the
 * config pipeline reads it for every request).
 */
public record DeviceProfile(
    UUID id,
    String tenant,
    String serial,
    String model,
    String name,
    UUID siteId,
    List<String> tags,
    String variablesJson,
    boolean active) {

  public static DeviceProfile of(Device device) {
    return new DeviceProfile(
        device.id(),
        device.tenant(),
        device.serial(),
        device.model(),
        device.name(),
        device.siteId(),
        device.tags(),
        device.variablesJson(),
        device.isActive());
  }
}
