package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator API key was issued or changed (SC, compacted topic {@link Topics#SC_API_KEYS}, key =
 * key id). Only the SHA-256 hash of the key travels; every service keeps its own copy to
 * authenticate requests without calling SC. {@code revokedAt} is set once the key is revoked.
 */
public record ApiKeyIssued(
    UUID keyId, String name, String keyHash, String role, Instant issuedAt, Instant revokedAt) {}
