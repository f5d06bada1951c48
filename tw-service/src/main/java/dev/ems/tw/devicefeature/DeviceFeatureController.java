package dev.ems.tw.devicefeature;

import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.Preconditions;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A device's feature set. The ETag of the set (and of each feature in it) is the set's revision;
 * {@code If-Match} on a write refuses it when anything on the device changed since the read.
 */
@RestController
@RequestMapping("/api/v1/devices/{deviceId}/features")
class DeviceFeatureController {

  private final DeviceFeatureService service;

  DeviceFeatureController(DeviceFeatureService service) {
    this.service = service;
  }

  record SetFeatureRequest(@NotNull Map<String, Object> params) {}

  record FeatureView(String key, int version, Map<String, Object> params) {}

  record FeatureSetView(UUID deviceId, long revision, List<FeatureView> features) {}

  @RequiresRole(Role.VIEWER)
  @GetMapping
  ResponseEntity<FeatureSetView> list(Caller caller, @PathVariable UUID deviceId) {
    var outcome = service.list(caller.tenant(), deviceId);
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(outcome.revision()))
        .body(view(deviceId, outcome));
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping("/{key}")
  ResponseEntity<FeatureSetView> put(
      Caller caller,
      @PathVariable UUID deviceId,
      @PathVariable String key,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody SetFeatureRequest request) {
    var outcome = service.put(caller.tenant(), deviceId, key, request.params(), ifMatch);
    return ResponseEntity.status(HttpStatus.OK)
        .eTag(Preconditions.etag(outcome.revision()))
        .body(view(deviceId, outcome));
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping("/{key}")
  ResponseEntity<Void> remove(
      Caller caller,
      @PathVariable UUID deviceId,
      @PathVariable String key,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    var outcome = service.remove(caller.tenant(), deviceId, key, ifMatch);
    return ResponseEntity.noContent().eTag(Preconditions.etag(outcome.revision())).build();
  }

  private static FeatureSetView view(UUID deviceId, DeviceFeatureService.Outcome outcome) {
    List<FeatureView> features =
        outcome.features().entrySet().stream()
            .map(e -> view(e.getKey(), e.getValue()))
            .sorted(java.util.Comparator.comparing(FeatureView::key))
            .toList();
    return new FeatureSetView(deviceId, outcome.revision(), features);
  }

  private static FeatureView view(String key, FeatureSetting s) {
    return new FeatureView(key, s.version(), s.params());
  }
}
