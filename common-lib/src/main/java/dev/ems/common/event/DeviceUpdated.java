package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A device's inventory data changed (SC, topic {@link Topics#SC_DEVICES}); carries the whole
 * current state. A replaced device (RMA) keeps its id and shows the new serial here.
 */
public record DeviceUpdated(
    UUID deviceId,
    String serial,
    String model,
    String name,
    UUID siteId,
    List<String> tags,
    Instant updatedAt) {}
