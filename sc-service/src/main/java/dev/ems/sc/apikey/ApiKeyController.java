package dev.ems.sc.apikey;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API-key management for admins of a tenant; the key is shown once, in the 201 response. */
@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeyController {

  private final ApiKeyService service;

  ApiKeyController(ApiKeyService service) {
    this.service = service;
  }

  record IssueKeyRequest(@NotBlank @Size(max = 100) String name, @NotNull Role role) {}

  @RequiresRole(Role.ADMIN)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  ResponseEntity<ApiKeyService.IssuedKey> issue(
      @Valid @RequestBody IssueKeyRequest request, Caller caller) {
    var issued = service.issue(caller.tenant(), request.name(), request.role());
    return ResponseEntity.created(URI.create("/api/v1/api-keys/" + issued.id())).body(issued);
  }

  @RequiresRole(Role.ADMIN)
  @GetMapping
  List<ApiKeyService.KeyInfo> list(Caller caller) {
    return service.list(caller.tenant());
  }

  @RequiresRole(Role.ADMIN)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(@PathVariable UUID id, Caller caller) {
    service.revoke(caller.tenant(), id);
    return ResponseEntity.noContent().build();
  }
}
