package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.Preconditions;
import dev.ems.sc.secrets.Secrets;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Sites and their variables. */
@RestController
@RequestMapping("/api/v1/sites")
class SiteController {

  record SiteRequest(
      @NotBlank @Size(max = 128) String name, @Size(max = 500) Map<String, Object> variables) {}

  record SiteResponse(
      UUID id, String name, Map<String, Object> variables, Instant createdAt, Instant updatedAt) {

    /** As {@code caller} may see it: variables can hold network secrets, a VIEWER sees metadata. */
    SiteResponse seenBy(Caller caller) {
      return caller.role().covers(Role.OPERATOR)
          ? this
          : new SiteResponse(id, name, null, createdAt, updatedAt);
    }
  }

  private final SiteRepository sites;
  private final DeviceRepository devices;
  private final JsonMapper json;
  private final Secrets secrets;

  SiteController(SiteRepository sites, DeviceRepository devices, JsonMapper json, Secrets secrets) {
    this.sites = sites;
    this.devices = devices;
    this.json = json;
    this.secrets = secrets;
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping
  @Transactional
  ResponseEntity<SiteResponse> create(@Valid @RequestBody SiteRequest request, Caller caller) {
    if (sites.existsByTenantAndName(caller.tenant(), request.name())) {
      throw duplicate(request.name());
    }
    Site site = new Site(caller.tenant(), request.name(), variables(caller, request, null));
    try {
      sites.saveAndFlush(site);
    } catch (DataIntegrityViolationException e) {
      throw duplicate(request.name());
    }
    return ResponseEntity.created(URI.create("/api/v1/sites/" + site.id())).body(map(site));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<SiteResponse> list(Caller caller) {
    return sites.findByTenantOrderByName(caller.tenant()).stream()
        .map(s -> map(s).seenBy(caller))
        .toList();
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  ResponseEntity<SiteResponse> get(@PathVariable UUID id, Caller caller) {
    Site site = require(caller, id);
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(site.rowVersion()))
        .body(map(site).seenBy(caller));
  }

  @RequiresRole(Role.OPERATOR)
  @PutMapping("/{id}")
  @Transactional
  ResponseEntity<SiteResponse> update(
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody SiteRequest request,
      Caller caller) {
    Site site = require(caller, id);
    Preconditions.checkIfMatch(ifMatch, site.rowVersion());
    site.update(request.name(), variables(caller, request, site));
    try {
      sites.saveAndFlush(site);
    } catch (DataIntegrityViolationException e) {
      throw duplicate(request.name());
    }
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(site.rowVersion()))
        .body(map(site).seenBy(caller));
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "204", description = "Done, no content")
  @DeleteMapping("/{id}")
  @Transactional
  ResponseEntity<Void> delete(@PathVariable UUID id, Caller caller) {
    Site site = require(caller, id);
    if (devices.countBySiteIdAndStatus(id, Device.Status.ACTIVE) > 0) {
      throw new EmsException(ErrorCode.SITE_IN_USE, "Site " + id + " still has devices");
    }
    sites.delete(site);
    return ResponseEntity.noContent().build();
  }

  private Site require(Caller caller, UUID id) {
    return sites
        .findByIdAndTenant(id, caller.tenant())
        .orElseThrow(() -> EmsException.notFound(ErrorCode.SITE_NOT_FOUND, id));
  }

  /** The stored form of the request's variables; {@code current} keeps secrets written back. */
  private String variables(Caller caller, SiteRequest request, Site current) {
    Map<String, Object> written = request.variables() == null ? Map.of() : request.variables();
    Map<String, Object> stored = current == null ? Map.of() : stored(current);
    return json.writeValueAsString(secrets.seal(caller.tenant(), written, stored));
  }

  private Map<String, Object> stored(Site s) {
    return json.readValue(s.variablesJson(), new TypeReference<Map<String, Object>>() {});
  }

  private SiteResponse map(Site s) {
    return new SiteResponse(
        s.id(), s.name(), Secrets.redacted(stored(s)), s.createdAt(), s.updatedAt());
  }

  private static EmsException duplicate(String name) {
    return new EmsException(
        ErrorCode.DUPLICATE_SITE, "A site named " + name + " already exists", "name");
  }
}
