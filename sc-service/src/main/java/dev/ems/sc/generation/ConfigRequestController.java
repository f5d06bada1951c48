package dev.ems.sc.generation;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.system.ScProperties;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
class ConfigRequestController {

  private static final java.util.regex.Pattern VARIABLE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private final ConfigRequestService service;
  private final ScProperties properties;

  ConfigRequestController(ConfigRequestService service, ScProperties properties) {
    this.service = service;
    this.properties = properties;
  }

  record SubmitConfigRequest(@NotNull Map<String, Object> variables, Boolean dryRun) {}

  /**
   * The files as operators see them: where secrets were rendered they read {@code ******} ({@code
   * secretsRedacted}); {@code sha256} is the bundle the device would fetch.
   */
  record DryRunResponse(
      UUID deviceId,
      String sha256,
      List<dev.ems.common.event.ConfigFile> files,
      Map<String, Object> inputs,
      boolean secretsRedacted) {}

  record ConfigRequestResponse(
      UUID id,
      UUID deviceId,
      String status,
      String failureReason,
      Integer configVersion,
      String requestedBy,
      Instant createdAt,
      Instant updatedAt,
      String statusUrl,
      String waitingFor,
      String failureCode) {

    static ConfigRequestResponse of(ConfigRequest r) {
      return new ConfigRequestResponse(
          r.id(),
          r.deviceId(),
          r.status().name(),
          r.failureReason(),
          r.configVersion(),
          r.requestedBy(),
          r.createdAt(),
          r.updatedAt(),
          ConfigRequestController.statusUrl(r.id()),
          r.waitingFor(),
          r.failureCode());
    }
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "202", description = "Accepted")
  @PostMapping("/api/v1/devices/{deviceId}/config-requests")
  ResponseEntity<?> submit(
      @PathVariable UUID deviceId,
      @RequestHeader(name = "Idempotency-Key", required = false)
          @Size(min = 1, max = 128)
          @Pattern(regexp = "[\\x21-\\x7e]+")
          String idempotencyKey,
      @Valid @RequestBody SubmitConfigRequest body,
      Caller caller) {
    validate(body.variables());
    if (Boolean.TRUE.equals(body.dryRun())) {
      var rendering = service.dryRun(caller.tenant(), deviceId, body.variables());
      return ResponseEntity.ok(
          new DryRunResponse(
              deviceId,
              rendering.sha256(),
              rendering.shownFiles(),
              Secrets.redacted(rendering.inputs()),
              rendering.secretsRedacted()));
    }
    ConfigRequest request =
        service.submit(
            caller.tenant(), deviceId, body.variables(), idempotencyKey, caller.keyName());
    return ResponseEntity.accepted()
        .location(URI.create(statusUrl(request.id())))
        .body(ConfigRequestResponse.of(request));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/config-requests/{id}")
  ConfigRequestResponse get(@PathVariable UUID id, Caller caller) {
    return ConfigRequestResponse.of(service.get(caller.tenant(), id));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/devices/{deviceId}/config-requests")
  List<ConfigRequestResponse> list(@PathVariable UUID deviceId, Caller caller) {
    return service.listForDevice(caller.tenant(), deviceId).stream()
        .map(ConfigRequestResponse::of)
        .toList();
  }

  /** Basic validation before anything is queued: names, count and nesting of the variables. */
  private void validate(Map<String, Object> variables) {
    if (variables.size() > properties.maxVariables()) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED,
          "At most " + properties.maxVariables() + " variables are allowed",
          "variables");
    }
    for (var entry : variables.entrySet()) {
      if (!VARIABLE_NAME.matcher(entry.getKey()).matches()) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED,
            "Variable names are identifiers: letters, digits and '_', not starting with a digit",
            "variables." + entry.getKey());
      }
      if (dev.ems.sc.variables.VariableResolver.RESERVED.contains(entry.getKey())) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED,
            "'" + entry.getKey() + "' is set by EMS and cannot be given as a variable",
            "variables." + entry.getKey());
      }
      if (entry.getValue() == null) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED,
            "Variables may not be null",
            "variables." + entry.getKey());
      }
    }
  }

  private static String statusUrl(UUID id) {
    return "/api/v1/config-requests/" + id;
  }
}
