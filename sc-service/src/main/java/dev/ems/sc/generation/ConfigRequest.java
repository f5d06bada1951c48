package dev.ems.sc.generation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * An operator's request to generate a device's configuration: QUEUED → PROCESSING → COMPLETED or
 * FAILED with a reason.
 */
@Entity
@Table(name = "config_request")
class ConfigRequest {

  enum Status {
    QUEUED,
    PROCESSING,
    COMPLETED,
    FAILED;

    boolean isFinal() {
      return this == COMPLETED || this == FAILED;
    }
  }

  @Id private UUID id;

  @Column(name = "tenant_id", nullable = false, updatable = false)
  private String tenant;

  @Column(name = "device_id", nullable = false, updatable = false)
  private UUID deviceId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Status status;

  @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String variables;

  @Column(name = "idempotency_key", updatable = false)
  private String idempotencyKey;

  @Column(name = "requested_by", nullable = false, updatable = false)
  private String requestedBy;

  @Column(name = "failure_reason")
  private String failureReason;

  /** A stable code for some failures (e.g. {@code bundle-too-large}); null for the others. */
  @Column(name = "failure_code", insertable = false, updatable = false)
  private String failureCode;

  @Column(name = "config_version")
  private Integer configVersion;

  /** The feature definition ({@code <tenant>/<key>/<version>}) a QUEUED request waits for. */
  @Column(name = "waiting_for", insertable = false, updatable = false)
  private String waitingFor;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected ConfigRequest() {}

  ConfigRequest(
      String tenant,
      UUID deviceId,
      String variablesJson,
      String idempotencyKey,
      String requestedBy) {
    this.id = UUID.randomUUID();
    this.tenant = tenant;
    this.deviceId = deviceId;
    this.status = Status.QUEUED;
    this.variables = variablesJson;
    this.idempotencyKey = idempotencyKey;
    this.requestedBy = requestedBy;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
  }

  UUID id() {
    return id;
  }

  String tenant() {
    return tenant;
  }

  UUID deviceId() {
    return deviceId;
  }

  Status status() {
    return status;
  }

  String variablesJson() {
    return variables;
  }

  String requestedBy() {
    return requestedBy;
  }

  String failureReason() {
    return failureReason;
  }

  String failureCode() {
    return failureCode;
  }

  Integer configVersion() {
    return configVersion;
  }

  String waitingFor() {
    return waitingFor;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }
}
