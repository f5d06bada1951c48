package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * An audit record was appended to a tenant's hash chain (every service, topic {@code
 * ems.<owner>.audit.v1}, key = tenant), for SIEMs. {@code hash} is the SHA-256 of the record's
 * fields and {@code previousHash}, so a consumer can check the chain itself. Never carries request
 * or response bodies, only their SHA-256 digests.
 *
 * @param actorType {@code API_KEY}, {@code OIDC}, {@code DEVICE}, {@code SERVICE} or {@code SYSTEM}
 * @param action {@code <METHOD> <route template>} for operator requests, a dotted name otherwise
 *     (e.g. {@code pki.certificate.issue})
 */
public record AuditRecorded(
    UUID id,
    String service,
    long seq,
    Instant occurredAt,
    String actorType,
    String actorId,
    String actorName,
    String action,
    String resource,
    Integer status,
    String requestId,
    String traceId,
    String requestDigest,
    String responseDigest,
    String previousHash,
    String hash) {}
