package dev.ems.sc.tenant;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.tenant.Tenants;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenants, administered by the system tenant's admins (the bootstrap key): create (with the
 * tenant's first ADMIN key, shown once), list, suspend and resume.
 */
@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

  static final String ID = "^[a-z0-9][a-z0-9-]{1,62}$";

  record CreateTenantRequest(
      @NotBlank @Size(max = 128) String name, @Pattern(regexp = ID) String id) {}

  record TenantResponse(
      String id, String name, String status, Instant createdAt, Instant changedAt) {
    static TenantResponse of(Tenants.Tenant t) {
      return new TenantResponse(t.id(), t.name(), t.status().name(), t.createdAt(), t.changedAt());
    }
  }

  /** The first ADMIN key of the tenant is shown here once; only its hash is stored. */
  record AdminKey(UUID id, String name, String role, String key) {}

  record CreatedTenantResponse(TenantResponse tenant, AdminKey adminKey) {}

  private final TenantService service;

  TenantController(TenantService service) {
    this.service = service;
  }

  @RequiresRole(value = Role.ADMIN, systemTenant = true)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  ResponseEntity<CreatedTenantResponse> create(
      @Valid @RequestBody CreateTenantRequest request, Caller caller) {
    var created = service.create(request.id(), request.name());
    var key = created.adminKey();
    return ResponseEntity.created(URI.create("/api/v1/tenants/" + created.tenant().id()))
        .body(
            new CreatedTenantResponse(
                TenantResponse.of(created.tenant()),
                new AdminKey(key.id(), key.name(), key.role().name(), key.key())));
  }

  @RequiresRole(value = Role.ADMIN, systemTenant = true)
  @GetMapping
  List<TenantResponse> list() {
    return service.list().stream().map(TenantResponse::of).toList();
  }

  @RequiresRole(value = Role.ADMIN, systemTenant = true)
  @GetMapping("/{id}")
  TenantResponse get(@PathVariable String id) {
    return TenantResponse.of(service.require(id));
  }

  @RequiresRole(value = Role.ADMIN, systemTenant = true)
  @PostMapping("/{id}/suspend")
  TenantResponse suspend(@PathVariable String id) {
    return TenantResponse.of(service.change(id, Tenants.Status.SUSPENDED));
  }

  @RequiresRole(value = Role.ADMIN, systemTenant = true)
  @PostMapping("/{id}/resume")
  TenantResponse resume(@PathVariable String id) {
    return TenantResponse.of(service.change(id, Tenants.Status.ACTIVE));
  }
}
