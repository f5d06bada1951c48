package dev.ems.sc.inventory;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.Preconditions;
import dev.ems.sc.inventory.DeviceRequests.CreateDeviceRequest;
import dev.ems.sc.inventory.DeviceRequests.CreatedDeviceResponse;
import dev.ems.sc.inventory.DeviceRequests.DeviceResponse;
import dev.ems.sc.inventory.DeviceRequests.ReplaceDeviceRequest;
import dev.ems.sc.inventory.DeviceRequests.TokenResponse;
import dev.ems.sc.inventory.DeviceRequests.UpdateDeviceRequest;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

  private final DeviceService service;
  private final Devices devices;
  private final DeviceQueries queries;

  DeviceController(DeviceService service, Devices devices, DeviceQueries queries) {
    this.service = service;
    this.devices = devices;
    this.queries = queries;
  }

  record PageResponse<T>(List<T> items, int page, int size, long total) {}

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  ResponseEntity<CreatedDeviceResponse> create(
      @Valid @RequestBody CreateDeviceRequest request, Caller caller) {
    CreatedDeviceResponse created = service.create(caller.tenant(), request);
    return ResponseEntity.created(URI.create("/api/v1/devices/" + created.id())).body(created);
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  ResponseEntity<DeviceResponse> get(@PathVariable UUID id, Caller caller) {
    Device device = devices.require(caller.tenant(), id);
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(device.rowVersion()))
        .body(queries.one(device).seenBy(caller));
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping("/{id}")
  ResponseEntity<DeviceResponse> update(
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody UpdateDeviceRequest request,
      Caller caller) {
    Device device = service.update(caller.tenant(), id, ifMatch, request);
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(device.rowVersion()))
        .body(queries.one(device));
  }

  /** Decommission: the device leaves service; its history stays. */
  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping("/{id}")
  ResponseEntity<Void> decommission(
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      Caller caller) {
    service.decommission(caller.tenant(), id, ifMatch);
    return ResponseEntity.noContent().build();
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/bootstrap-token")
  TokenResponse reissueToken(@PathVariable UUID id, Caller caller) {
    return service.reissueToken(caller.tenant(), id);
  }

  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{id}/replace")
  TokenResponse replace(
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody ReplaceDeviceRequest request,
      Caller caller) {
    return service.replace(caller.tenant(), id, ifMatch, request.serial());
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  PageResponse<DeviceResponse> list(
      @RequestParam(required = false) @Pattern(regexp = DeviceRequests.TAG) String tag,
      @RequestParam(required = false) UUID siteId,
      @RequestParam(required = false) @Pattern(regexp = DeviceRequests.MODEL) String model,
      @RequestParam(required = false) @Pattern(regexp = "NONE|PENDING|APPLIED|FAILED|OUT_OF_SYNC")
          String configStatus,
      @RequestParam(required = false) @Pattern(regexp = "ACTIVE|DECOMMISSIONED") String status,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    var filter = new DeviceQueries.Filter(tag, siteId, model, configStatus, status);
    var result = queries.list(caller.tenant(), filter, page, size);
    return new PageResponse<>(
        result.items().stream().map(d -> d.seenBy(caller)).toList(), page, size, result.total());
  }
}
