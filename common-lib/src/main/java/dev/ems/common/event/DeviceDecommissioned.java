package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A device left service (SC, topic {@link Topics#SC_DEVICES}): device-api refuses it from now on,
 * diagnostics stops watching it.
 */
public record DeviceDecommissioned(UUID deviceId, String serial, Instant decommissionedAt) {}
