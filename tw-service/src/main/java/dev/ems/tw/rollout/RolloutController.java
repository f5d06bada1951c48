package dev.ems.tw.rollout;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Bulk feature rollouts: start, follow, pause, resume, cancel. */
@RestController
@RequestMapping("/api/v1/rollouts")
class RolloutController {

  private final RolloutService service;
  private final RolloutStore store;

  RolloutController(RolloutService service, RolloutStore store) {
    this.service = service;
    this.store = store;
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  ResponseEntity<RolloutView> create(Caller caller, @Valid @RequestBody RolloutRequest request) {
    Rollout r = service.create(caller.tenant(), request);
    return ResponseEntity.created(URI.create("/api/v1/rollouts/" + r.id()))
        .body(view(caller.tenant(), r.id()));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<RolloutView> list(Caller caller) {
    return store.list(caller.tenant()).stream()
        .map(r -> RolloutView.of(r, store.counts(r.id()), null))
        .toList();
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  RolloutView get(Caller caller, @PathVariable UUID id) {
    return view(caller.tenant(), id);
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/pause")
  RolloutView pause(Caller caller, @PathVariable UUID id) {
    service.pause(caller.tenant(), id);
    return view(caller.tenant(), id);
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/resume")
  RolloutView resume(Caller caller, @PathVariable UUID id) {
    service.resume(caller.tenant(), id);
    return view(caller.tenant(), id);
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/cancel")
  RolloutView cancel(Caller caller, @PathVariable UUID id) {
    service.cancel(caller.tenant(), id);
    return view(caller.tenant(), id);
  }

  private RolloutView view(String tenant, UUID id) {
    Rollout r =
        store
            .find(tenant, id)
            .orElseThrow(() -> EmsException.notFound(ErrorCode.ROLLOUT_NOT_FOUND, id));
    return RolloutView.of(r, store.counts(id), store.devices(id));
  }
}
