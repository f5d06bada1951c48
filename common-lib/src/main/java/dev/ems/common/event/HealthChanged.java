package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A device's health moved (topic {@link Topics#DIAG_HEALTH}); only transitions are emitted. {@code
 * health}: OK, WARNING, CRITICAL, UNKNOWN.
 */
public record HealthChanged(
    UUID deviceId, String health, String previousHealth, List<String> reasons, Instant changedAt) {}
