package dev.ems.tw.device;

import java.util.List;
import java.util.UUID;

/**
 * Which devices a bulk operation targets: every given criterion must hold (tags: the device has all
 * of them; deviceIds: the device is one of them). An empty selector selects nothing.
 */
public record DeviceSelector(List<String> tags, UUID siteId, String model, List<UUID> deviceIds) {

  public DeviceSelector {
    tags = tags == null ? List.of() : List.copyOf(tags);
    deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
  }

  public boolean isEmpty() {
    return tags.isEmpty()
        && siteId == null
        && (model == null || model.isBlank())
        && deviceIds.isEmpty();
  }
}
