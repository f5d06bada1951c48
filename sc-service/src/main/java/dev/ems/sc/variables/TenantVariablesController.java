package dev.ems.sc.variables;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.sc.secrets.Secrets;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's default variables: the lowest-precedence layer for every device. */
@RestController
class TenantVariablesController {

  record TenantVariablesRequest(@NotNull @Size(max = 500) Map<String, Object> variables) {}

  private final TenantVariables variables;
  private final Secrets secrets;

  TenantVariablesController(TenantVariables variables, Secrets secrets) {
    this.variables = variables;
    this.secrets = secrets;
  }

  @RequiresRole(Role.OPERATOR)
  @GetMapping("/api/v1/variables")
  Map<String, Object> get(Caller caller) {
    return Map.of("variables", Secrets.redacted(variables.get(caller.tenant())));
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping("/api/v1/variables")
  Map<String, Object> put(@Valid @RequestBody TenantVariablesRequest request, Caller caller) {
    String tenant = caller.tenant();
    variables.put(tenant, secrets.seal(tenant, request.variables(), variables.get(tenant)));
    return Map.of("variables", Secrets.redacted(variables.get(tenant)));
  }
}
