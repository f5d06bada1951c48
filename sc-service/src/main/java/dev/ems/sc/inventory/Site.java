package dev.ems.sc.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A place devices are installed at; its variables apply to all its devices. */
@Entity
@Table(name = "site")
public class Site {

  @Id private UUID id;

  @Column(name = "tenant_id", nullable = false, updatable = false)
  private String tenant;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String variables = "{}";

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  private long rowVersion;

  protected Site() {}

  Site(String tenant, String name, String variablesJson) {
    this.id = UUID.randomUUID();
    this.tenant = tenant;
    this.name = name;
    this.variables = variablesJson;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
  }

  void update(String name, String variablesJson) {
    this.name = name;
    this.variables = variablesJson;
    this.updatedAt = Instant.now();
  }

  public UUID id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String variablesJson() {
    return variables;
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
