package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A new configuration version of a device was stored and is the one the device should run (SC,
 * topic {@link Topics#SC_CONFIGS}). The bundle travels inline so that device-api serves it without
 * calling SC. {@code sha256} identifies the bundle and is the device's ETag.
 *
 * <p>{@code cause} says what made the version: {@code features-<revision>} when tw-service's
 * feature set of that revision ({@link DeviceFeaturesChanged#revision()}) regenerated it, {@code
 * request:<id>} for any other config request, {@code rollback:<version>} for a rollback; null in
 * events published before the field existed.
 */
public record ConfigPublished(
    UUID deviceId,
    int version,
    String sha256,
    List<ConfigFile> files,
    UUID requestId,
    Instant publishedAt,
    String cause) {}
