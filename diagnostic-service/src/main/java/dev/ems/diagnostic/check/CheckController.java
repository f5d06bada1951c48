package dev.ems.diagnostic.check;

import dev.ems.common.error.ErrorCode;
import dev.ems.diagnostic.check.Checks.Check;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** On-demand checks of one device: request (202 + status URL), read, list. */
@RestController
@RequestMapping("/api/v1/devices/{deviceId}/checks")
class CheckController {

  record CheckRequest(
      @NotNull @Pattern(regexp = "TUNNEL_STATUS|REACHABILITY") String type,
      @Size(max = 20) Map<@Size(max = 64) String, @Size(max = 256) String> parameters) {}

  private final CheckService service;
  private final Checks checks;

  CheckController(CheckService service, Checks checks) {
    this.service = service;
    this.checks = checks;
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "202", description = "Accepted")
  @PostMapping
  ResponseEntity<Check> request(
      @PathVariable UUID deviceId, @Valid @RequestBody CheckRequest request, Caller caller) {
    Check check =
        service.request(
            caller.tenant(),
            caller.keyName(),
            deviceId,
            request.type(),
            request.parameters() == null ? Map.of() : request.parameters());
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/devices/" + deviceId + "/checks/" + check.id()))
        .body(check);
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  Check get(@PathVariable UUID deviceId, @PathVariable UUID id, Caller caller) {
    return checks
        .find(caller.tenant(), deviceId, id)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.CHECK_NOT_FOUND, id));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<Check> list(
      @PathVariable UUID deviceId,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    return service.list(caller.tenant(), deviceId, page, size);
  }
}
