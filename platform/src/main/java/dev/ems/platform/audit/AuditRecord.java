package dev.ems.platform.audit;

import java.time.Instant;
import java.util.UUID;

/** One chained audit record as stored (and as {@code GET /api/v1/audit} shows it). */
public record AuditRecord(
    UUID id,
    String tenant,
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
    String hash) {

  /** This record at its place in the chain: its sequence number, previous hash and own hash. */
  AuditRecord chained(long seq, String previousHash, String hash) {
    return new AuditRecord(
        id,
        tenant,
        seq,
        occurredAt,
        actorType,
        actorId,
        actorName,
        action,
        resource,
        status,
        requestId,
        traceId,
        requestDigest,
        responseDigest,
        previousHash,
        hash);
  }
}
