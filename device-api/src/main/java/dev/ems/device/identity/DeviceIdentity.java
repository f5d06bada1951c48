package dev.ems.device.identity;

import java.util.UUID;

/** The authenticated device behind a request, named by its certificate. */
public record DeviceIdentity(UUID deviceId, String tenant, String fingerprint) {}
