package dev.ems.pki.endentity;

import dev.ems.pki.endentity.EndEntityRequests.CreateEndEntityRequest;
import dev.ems.pki.endentity.EndEntityRequests.DeletedEndEntityResponse;
import dev.ems.pki.endentity.EndEntityRequests.EndEntityResponse;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/end-entities")
class EndEntityController {

  private final EndEntityService service;
  private final EndEntities entities;

  EndEntityController(EndEntityService service, EndEntities entities) {
    this.service = service;
    this.entities = entities;
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  ResponseEntity<EndEntityResponse> create(
      @Valid @RequestBody CreateEndEntityRequest request, Caller caller) {
    EndEntity entity = service.create(caller.tenant(), request);
    return ResponseEntity.created(URI.create("/api/v1/end-entities/" + entity.name()))
        .body(EndEntityResponse.of(entity));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{name}")
  EndEntityResponse get(@PathVariable String name, Caller caller) {
    return EndEntityResponse.of(entities.require(caller.tenant(), name.toLowerCase()));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<EndEntityResponse> list(
      @RequestParam(defaultValue = "false") boolean includeDeleted,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    return entities.list(caller.tenant(), includeDeleted, page, size).stream()
        .map(EndEntityResponse::of)
        .toList();
  }

  @RequiresRole(Role.OPERATOR)
  @DeleteMapping("/{name}")
  DeletedEndEntityResponse delete(@PathVariable String name, Caller caller) {
    String n = name.toLowerCase();
    return new DeletedEndEntityResponse(n, service.delete(caller.tenant(), n));
  }
}
