package dev.ems.sc.changeset;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A change set as stored. */
record ChangeSet(
    UUID id,
    String tenant,
    String description,
    UUID authorKeyId,
    String author,
    Status status,
    ApplyMode apply,
    List<StagedOperation> operations,
    String approvedBy,
    Instant approvedAt,
    String failureReason,
    Instant createdAt,
    Instant updatedAt) {

  /** DRAFT → APPROVED → APPLYING → APPLIED or FAILED; DRAFT or APPROVED → DISCARDED. */
  enum Status {
    DRAFT,
    APPROVED,
    APPLYING,
    APPLIED,
    FAILED,
    DISCARDED
  }

  enum ApplyMode {
    NOW,
    MAINTENANCE_WINDOW
  }

  /** One affected device of an approved set: PENDING until due, APPLYING, APPLIED or FAILED. */
  record DeviceState(
      UUID deviceId,
      String status,
      Instant dueAt,
      UUID requestId,
      Integer configVersion,
      String failureReason) {}
}
