package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A device reported applying a configuration version (topic {@link Topics#DEVICE_REPORTS}). {@code
 * status}: APPLIED or FAILED; {@code error} is the device's text when FAILED.
 */
public record ConfigStatusReported(
    UUID deviceId, int version, String sha256, String status, String error, Instant reportedAt) {}
