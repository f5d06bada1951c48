package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/** A device entered the inventory of a tenant (SC, topic {@link Topics#SC_DEVICES}). */
public record DeviceCreated(
    UUID deviceId, String serial, String model, String name, Instant createdAt) {}
