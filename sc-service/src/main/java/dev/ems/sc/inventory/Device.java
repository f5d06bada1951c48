package dev.ems.sc.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A managed edge device in a tenant's inventory. */
@Entity
@Table(name = "device")
public class Device {

  @Id private UUID id;

  @Column(name = "tenant_id", nullable = false, updatable = false)
  private String tenant;

  @Column(nullable = false, updatable = false)
  private String serial;

  @Column(nullable = false)
  private String model;

  @Column(nullable = false)
  private String name;

  @Column(name = "bootstrap_token_hash", nullable = false)
  private String bootstrapTokenHash;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  private long rowVersion;

  protected Device() {}

  Device(String tenant, String serial, String model, String name, String bootstrapTokenHash) {
    this.id = UUID.randomUUID();
    this.tenant = tenant;
    this.serial = serial;
    this.model = model;
    this.name = name;
    this.bootstrapTokenHash = bootstrapTokenHash;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
  }

  public UUID id() {
    return id;
  }

  public String tenant() {
    return tenant;
  }

  public String serial() {
    return serial;
  }

  public String model() {
    return model;
  }

  public String name() {
    return name;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }

  long rowVersion() {
    return rowVersion;
  }
}
