package dev.ems.tw.catalogue;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.Preconditions;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.util.List;
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

/** The feature catalogue: list, read, add or update (PUT), remove. */
@RestController
@RequestMapping("/api/v1/features")
class FeatureController {

  private final FeatureCatalogue catalogue;
  private final CatalogueService service;

  FeatureController(FeatureCatalogue catalogue, CatalogueService service) {
    this.catalogue = catalogue;
    this.service = service;
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<FeatureResponse> list(Caller caller) {
    return catalogue.all(caller.tenant()).stream().map(FeatureResponse::of).toList();
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{key}")
  ResponseEntity<FeatureResponse> get(Caller caller, @PathVariable String key) {
    Feature f =
        catalogue
            .find(caller.tenant(), key)
            .orElseThrow(() -> EmsException.notFound(ErrorCode.FEATURE_NOT_FOUND, key));
    return ResponseEntity.ok().eTag(Preconditions.etag(f.version())).body(FeatureResponse.of(f));
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "200", description = "Updated")
  @ApiResponse(responseCode = "201", description = "Created")
  @PutMapping("/{key}")
  ResponseEntity<FeatureResponse> put(
      Caller caller,
      @PathVariable String key,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody FeatureRequest request) {
    CatalogueService.Saved saved = service.put(caller.tenant(), key, request, ifMatch);
    return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(Preconditions.etag(saved.feature().version()))
        .body(FeatureResponse.of(saved.feature()));
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping("/{key}")
  ResponseEntity<Void> delete(
      Caller caller,
      @PathVariable String key,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    service.delete(caller.tenant(), key, ifMatch);
    return ResponseEntity.noContent().build();
  }
}
