package dev.ems.sc.tenant;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.PlatformProperties;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.tenant.Tenants;
import dev.ems.platform.web.EmsException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's settings, set by its own ADMIN or the system tenant's: {@code requireApproval}
 * (whether a change set needs a second person's approval; default true).
 */
@RestController
class TenantSettingsController {

  record SettingsRequest(@NotNull Boolean requireApproval) {}

  record SettingsResponse(String tenant, boolean requireApproval) {}

  private final ChangePolicy policy;
  private final Tenants tenants;
  private final String systemTenant;

  TenantSettingsController(ChangePolicy policy, Tenants tenants, PlatformProperties properties) {
    this.policy = policy;
    this.tenants = tenants;
    this.systemTenant = properties.bootstrapTenant();
  }

  @RequiresRole(Role.ADMIN)
  @GetMapping("/api/v1/tenants/{id}/settings")
  SettingsResponse get(@PathVariable String id, Caller caller) {
    require(id, caller);
    return new SettingsResponse(id, policy.requiresApproval(id));
  }

  @RequiresRole(Role.ADMIN)
  @PatchMapping("/api/v1/tenants/{id}")
  @Transactional
  SettingsResponse patch(
      @PathVariable String id, @Valid @RequestBody SettingsRequest request, Caller caller) {
    require(id, caller);
    policy.set(id, request.requireApproval());
    return new SettingsResponse(id, request.requireApproval());
  }

  private void require(String id, Caller caller) {
    if (!caller.tenant().equals(id) && !caller.tenant().equals(systemTenant)) {
      throw new EmsException(
          ErrorCode.FORBIDDEN, "Only the tenant's or the system tenant's ADMIN keys may");
    }
    if (!id.equals(systemTenant) && tenants.find(id).isEmpty()) {
      throw new EmsException(ErrorCode.NOT_FOUND, "No tenant " + id);
    }
  }
}
