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
 *
 * <p>{@code signature} is the bundle's detached JWS (ES256) by the tenant's config-signing key, as
 * {@code dev.ems.common.signing.ConfigSignatures} makes and verifies it; null from older producers.
 */
public record ConfigPublished(
    UUID deviceId,
    int version,
    String sha256,
    List<ConfigFile> files,
    UUID requestId,
    Instant publishedAt,
    String cause,
    String signature) {

  /** As published before bundles were signed. */
  public ConfigPublished(
      UUID deviceId,
      int version,
      String sha256,
      List<ConfigFile> files,
      UUID requestId,
      Instant publishedAt,
      String cause) {
    this(deviceId, version, sha256, files, requestId, publishedAt, cause, null);
  }
}
