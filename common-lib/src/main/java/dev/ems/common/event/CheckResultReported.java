package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A device answered a command (topic {@link Topics#DEVICE_REPORTS}). {@code status}: SUCCEEDED or
 * FAILED; {@code output} is the device's result text (bounded by device-api).
 */
public record CheckResultReported(
    UUID commandId, UUID deviceId, String status, String output, Instant completedAt) {}
