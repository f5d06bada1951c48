package dev.ems.common.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A new configuration version of a device was stored and is the one the device should run (SC,
 * topic {@link Topics#SC_CONFIGS}). The bundle travels inline so that device-api serves it without
 * calling SC. {@code sha256} identifies the bundle and is the device's ETag.
 */
public record ConfigPublished(
    UUID deviceId,
    int version,
    String sha256,
    List<ConfigFile> files,
    UUID requestId,
    Instant publishedAt) {}
