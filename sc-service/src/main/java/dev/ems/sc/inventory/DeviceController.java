package dev.ems.sc.inventory;

import dev.ems.platform.security.Caller;
import dev.ems.sc.inventory.DeviceRequests.CreateDeviceRequest;
import dev.ems.sc.inventory.DeviceRequests.CreatedDeviceResponse;
import dev.ems.sc.inventory.DeviceRequests.DeviceResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

  private final DeviceService service;
  private final Devices devices;

  DeviceController(DeviceService service, Devices devices) {
    this.service = service;
    this.devices = devices;
  }

  @PostMapping
  ResponseEntity<CreatedDeviceResponse> create(
      @Valid @RequestBody CreateDeviceRequest request, Caller caller) {
    CreatedDeviceResponse created = service.create(caller.tenant(), request);
    return ResponseEntity.created(URI.create("/api/v1/devices/" + created.id())).body(created);
  }

  @GetMapping("/{id}")
  ResponseEntity<DeviceResponse> get(@PathVariable UUID id, Caller caller) {
    Device device = devices.require(caller.tenant(), id);
    return ResponseEntity.ok()
        .eTag(Long.toString(device.rowVersion()))
        .body(DeviceResponse.of(device));
  }

  @GetMapping
  PageResponse<DeviceResponse> list(
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    var result =
        service.list(caller.tenant(), PageRequest.of(page, size, Sort.by("createdAt", "id")));
    return new PageResponse<>(
        result.map(DeviceResponse::of).getContent(), page, size, result.getTotalElements());
  }

  record PageResponse<T>(List<T> items, int page, int size, long total) {}
}
