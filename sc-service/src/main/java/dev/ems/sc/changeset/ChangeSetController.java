package dev.ems.sc.changeset;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.sc.generation.ChangePreviews;
import dev.ems.sc.secrets.Secrets;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Change sets: staged (OPERATOR), previewed per device, approved by a second person (OPERATOR or
 * ADMIN), applied at once or in the sites' maintenance windows, or discarded. A VIEWER reads a set
 * without its variables and diffs: rendered configurations are an operator's to see.
 */
@RestController
@RequestMapping("/api/v1/change-sets")
class ChangeSetController {

  record ChangeSetResponse(
      UUID id,
      String description,
      String author,
      String status,
      String apply,
      List<StagedOperation> operations,
      String approvedBy,
      Instant approvedAt,
      String failureReason,
      Instant createdAt,
      Instant updatedAt,
      List<ChangeSet.DeviceState> devices,
      List<ChangePreviews.Preview> previews) {}

  private final ChangeSetService service;
  private final ChangeSetApplier applier;

  ChangeSetController(ChangeSetService service, ChangeSetApplier applier) {
    this.service = service;
    this.applier = applier;
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  ResponseEntity<ChangeSetResponse> create(@RequestBody ChangeSetBody body, Caller caller) {
    ChangeSet set = service.create(body, caller);
    return ResponseEntity.created(URI.create("/api/v1/change-sets/" + set.id()))
        .body(response(set, caller, false));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<ChangeSetResponse> list(Caller caller) {
    return service.list(caller.tenant()).stream().map(s -> response(s, caller, false)).toList();
  }

  /** The set; while it is not applied yet, each affected device's diff (OPERATOR and up). */
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  ChangeSetResponse get(@PathVariable UUID id, Caller caller) {
    return response(service.require(caller.tenant(), id), caller, true);
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping("/{id}")
  ChangeSetResponse replace(@PathVariable UUID id, @RequestBody ChangeSetBody body, Caller caller) {
    return response(service.replace(id, body, caller), caller, false);
  }

  /** Approves (and so applies) the set; devices due now are applied before the answer. */
  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/approve")
  ChangeSetResponse approve(@PathVariable UUID id, Caller caller) {
    service.approve(id, caller);
    applier.applyDue(Instant.now(), id);
    return response(service.require(caller.tenant(), id), caller, false);
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/discard")
  ChangeSetResponse discard(@PathVariable UUID id, Caller caller) {
    return response(service.discard(id, caller), caller, false);
  }

  private ChangeSetResponse response(ChangeSet s, Caller caller, boolean withPreviews) {
    boolean operator = caller.role().covers(Role.OPERATOR);
    boolean pending =
        s.status() == ChangeSet.Status.DRAFT || s.status() == ChangeSet.Status.APPROVED;
    return new ChangeSetResponse(
        s.id(),
        s.description(),
        s.author(),
        s.status().name(),
        s.apply().name(),
        s.operations().stream().map(op -> shown(op, operator)).toList(),
        s.approvedBy(),
        s.approvedAt(),
        s.failureReason(),
        s.createdAt(),
        s.updatedAt(),
        service.devices(s.id()),
        withPreviews && operator && pending ? service.previews(s) : null);
  }

  /** Secrets as {@code ******}; a VIEWER sees no variables, files or params at all. */
  private static StagedOperation shown(StagedOperation op, boolean operator) {
    return new StagedOperation(
        op.type(),
        op.deviceId(),
        op.siteId(),
        op.variables() == null ? null : operator ? Secrets.redacted(op.variables()) : null,
        op.model(),
        operator ? op.files() : null,
        operator ? op.variablesSchema() : null,
        op.deviceIds(),
        op.tag(),
        op.featureKey(),
        op.action(),
        operator ? op.params() : null,
        op.featureVersion());
  }
}
