package dev.ems.tw.device;

import java.util.List;
import java.util.UUID;

/** A device as tw-service knows it from SC's inventory events. */
public record Device(
    UUID id,
    String tenant,
    String model,
    UUID siteId,
    List<String> tags,
    String status,
    long featuresRevision) {

  public boolean active() {
    return "ACTIVE".equals(status);
  }
}
