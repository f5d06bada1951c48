package dev.ems.sc.generation;

import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.ConfigFile;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.secrets.Secrets;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A device's configuration versions: list, read, diff, roll back. */
@RestController
class ConfigVersionController {

  record VersionSummary(
      int version,
      String sha256,
      String requestedBy,
      Integer rollbackOf,
      String applyStatus,
      String applyError,
      Instant appliedAt,
      Instant createdAt) {}

  record VersionResponse(
      int version,
      String sha256,
      List<ConfigFile> files,
      Map<String, Object> inputs,
      String requestedBy,
      UUID requestId,
      Integer rollbackOf,
      String applyStatus,
      String applyError,
      Instant appliedAt,
      Instant createdAt,
      boolean secretsRedacted) {}

  record RollbackResponse(int version, String sha256, boolean created, int rolledBackTo) {}

  private final ConfigVersions versions;
  private final Devices devices;
  private final RollbackService rollback;

  ConfigVersionController(ConfigVersions versions, Devices devices, RollbackService rollback) {
    this.versions = versions;
    this.devices = devices;
    this.rollback = rollback;
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/devices/{id}/configs")
  List<VersionSummary> list(@PathVariable UUID id, Caller caller) {
    devices.require(caller.tenant(), id);
    return versions.list(id).stream()
        .map(
            v ->
                new VersionSummary(
                    v.version(),
                    v.sha256(),
                    v.requestedBy(),
                    v.rollbackOf(),
                    v.applyStatus(),
                    v.applyError(),
                    v.appliedAt(),
                    v.createdAt()))
        .toList();
  }

  @RequiresRole(Role.OPERATOR)
  @GetMapping("/api/v1/devices/{id}/configs/{version}")
  VersionResponse get(@PathVariable UUID id, @PathVariable int version, Caller caller) {
    var v = require(caller, id, version);
    return new VersionResponse(
        v.version(),
        v.sha256(),
        v.files(),
        Secrets.redacted(v.inputs()),
        v.requestedBy(),
        v.requestId(),
        v.rollbackOf(),
        v.applyStatus(),
        v.applyError(),
        v.appliedAt(),
        v.createdAt(),
        v.secretsRedacted());
  }

  /**
   * Unified diff (text/plain) from version {@code from} to version {@code to}, of the files as
   * operators see them (secrets masked); 204 when their files are the same (an empty diff).
   */
  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "200", description = "The unified diff")
  @ApiResponse(
      responseCode = "204",
      description = "The two versions' files are the same",
      content = @Content)
  @GetMapping(
      value = "/api/v1/devices/{id}/configs/{from}/diff/{to}",
      produces = MediaType.TEXT_PLAIN_VALUE)
  ResponseEntity<String> diff(
      @PathVariable UUID id, @PathVariable int from, @PathVariable int to, Caller caller) {
    var a = require(caller, id, from);
    var b = require(caller, id, to);
    String diff = ConfigDiff.unified(a.version(), a.files(), b.version(), b.files());
    return diff.isEmpty() ? ResponseEntity.noContent().build() : ResponseEntity.ok(diff);
  }

  /** Publishes the files of an earlier version again, as a new version. */
  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "200", description = "The files are the current version already")
  @ApiResponse(responseCode = "201", description = "Published as a new version")
  @PostMapping("/api/v1/devices/{id}/configs/{version}/rollback")
  ResponseEntity<RollbackResponse> rollback(
      @PathVariable UUID id, @PathVariable int version, Caller caller) {
    devices.requireActive(caller.tenant(), id);
    var target = require(caller, id, version);
    var published = rollback.rollback(caller.tenant(), id, target, caller.keyName());
    var body =
        new RollbackResponse(published.version(), published.sha256(), published.created(), version);
    return ResponseEntity.status(published.created() ? 201 : 200).body(body);
  }

  private ConfigVersions.ConfigVersion require(Caller caller, UUID id, int version) {
    devices.require(caller.tenant(), id);
    return versions
        .find(id, version)
        .orElseThrow(
            () ->
                new EmsException(
                    ErrorCode.CONFIG_VERSION_NOT_FOUND,
                    "Device " + id + " has no configuration version " + version,
                    "version"));
  }
}
