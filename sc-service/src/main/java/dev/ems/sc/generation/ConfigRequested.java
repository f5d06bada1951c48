package dev.ems.sc.generation;

import java.util.UUID;

/**
 * A config request was accepted and waits for generation (topic {@code ems.sc.config-requests.v1},
 * consumed by sc-service only, hence not in common-lib).
 */
record ConfigRequested(UUID requestId, UUID deviceId) {}
