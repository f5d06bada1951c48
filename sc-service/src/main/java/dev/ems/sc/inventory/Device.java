package dev.ems.sc.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A managed edge device in a tenant's inventory. */
@Entity
@Table(name = "device")
public class Device {

  /** Lifecycle: in service, or decommissioned (kept for the audit trail). */
  public enum Status {
    ACTIVE,
    DECOMMISSIONED
  }

  @Id private UUID id;

  @Column(name = "tenant_id", nullable = false, updatable = false)
  private String tenant;

  @Column(nullable = false)
  private String serial;

  @Column(nullable = false)
  private String model;

  @Column(nullable = false)
  private String name;

  @Column(name = "site_id")
  private UUID siteId;

  @Column(columnDefinition = "text[]", nullable = false)
  private String[] tags = new String[0];

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String variables = "{}";

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Status status = Status.ACTIVE;

  /** Written by configuration generation and device reports, never by this entity. */
  @Column(name = "config_status", insertable = false, updatable = false)
  private String configStatus;

  @Column(name = "bootstrap_token_hash", nullable = false)
  private String bootstrapTokenHash;

  @Column(name = "token_issued_at")
  private Instant tokenIssuedAt;

  @Column(name = "replaced_serials", columnDefinition = "text[]", nullable = false)
  private String[] replacedSerials = new String[0];

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
    // as PostgreSQL keeps it (microseconds): an event announced again from the row is the same
    this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    this.updatedAt = createdAt;
    this.tokenIssuedAt = createdAt;
  }

  void update(String model, String name, UUID siteId, List<String> tags, String variablesJson) {
    this.model = model;
    this.name = name;
    this.siteId = siteId;
    this.tags = tags.toArray(String[]::new);
    this.variables = variablesJson;
    this.updatedAt = Instant.now();
  }

  void reissueToken(String tokenHash) {
    this.bootstrapTokenHash = tokenHash;
    this.tokenIssuedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    this.updatedAt = tokenIssuedAt;
  }

  /** RMA: the same logical device (site, variables, configs) continues on new hardware. */
  void replaceHardware(String newSerial, String tokenHash) {
    String[] replaced = Arrays.copyOf(replacedSerials, replacedSerials.length + 1);
    replaced[replacedSerials.length] = serial;
    this.replacedSerials = replaced;
    this.serial = newSerial;
    reissueToken(tokenHash);
  }

  void decommission() {
    this.status = Status.DECOMMISSIONED;
    this.updatedAt = Instant.now();
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

  public UUID siteId() {
    return siteId;
  }

  public List<String> tags() {
    return List.of(tags);
  }

  public String variablesJson() {
    return variables;
  }

  public Status status() {
    return status;
  }

  public boolean isActive() {
    return status == Status.ACTIVE;
  }

  String configStatus() {
    return configStatus == null ? "NONE" : configStatus;
  }

  List<String> replacedSerials() {
    return List.of(replacedSerials);
  }

  String bootstrapTokenHash() {
    return bootstrapTokenHash;
  }

  Instant tokenIssuedAt() {
    return tokenIssuedAt;
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
