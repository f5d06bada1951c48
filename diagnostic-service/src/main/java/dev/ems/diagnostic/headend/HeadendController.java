package dev.ems.diagnostic.headend;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The EMS headend's own view of the management tunnels of the caller's tenant: the {@code
 * ipsec-gateway}'s reporter sends what {@code swanctl --list-sas --raw} printed, and diagnostics
 * trusts it over what devices report (docker/ipsec-gateway/report-sas.sh).
 */
@RestController
class HeadendController {

  private final HeadendViews views;

  HeadendController(HeadendViews views) {
    this.views = views;
  }

  record HeadendSasRequest(@NotNull @Size(max = 900_000) String listSas) {}

  /**
   * @param terminate the IKE SAs (swanctl unique id) of devices whose certificate is revoked: the
   *     reporter terminates them, so a revocation does not wait for the device's next IKE_AUTH
   */
  record HeadendSasResponse(int established, int down, List<HeadendViews.Terminate> terminate) {}

  @RequiresRole(Role.ADMIN)
  @PutMapping("/api/v1/mgmt-headend/sas")
  HeadendSasResponse report(@Valid @RequestBody HeadendSasRequest request, Caller caller) {
    HeadendViews.Applied applied = views.apply(caller.tenant(), request.listSas());
    return new HeadendSasResponse(applied.established(), applied.down(), applied.terminate());
  }
}
