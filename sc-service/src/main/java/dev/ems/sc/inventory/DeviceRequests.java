package dev.ems.sc.inventory;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.Role;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of the inventory API. */
final class DeviceRequests {

  static final String SERIAL = "[A-Za-z0-9._:-]+";
  static final String MODEL = "[A-Za-z0-9._-]+";
  static final String TAG = "[A-Za-z0-9._:=-]{1,64}";

  private DeviceRequests() {}

  record CreateDeviceRequest(
      @NotBlank @Size(max = 64) @Pattern(regexp = SERIAL) String serial,
      @NotBlank @Size(max = 64) @Pattern(regexp = MODEL) String model,
      @NotBlank @Size(max = 128) String name,
      UUID siteId,
      @Size(max = 50) List<@Pattern(regexp = TAG) String> tags,
      @Size(max = 500) Map<String, Object> variables) {}

  /** Full replacement of the mutable fields (PUT semantics); serial changes only by RMA. */
  record UpdateDeviceRequest(
      @NotBlank @Size(max = 64) @Pattern(regexp = MODEL) String model,
      @NotBlank @Size(max = 128) String name,
      UUID siteId,
      @NotNull @Size(max = 50) List<@Pattern(regexp = TAG) String> tags,
      @NotNull @Size(max = 500) Map<String, Object> variables) {}

  record ReplaceDeviceRequest(@NotBlank @Size(max = 64) @Pattern(regexp = SERIAL) String serial) {}

  record DeviceResponse(
      UUID id,
      String serial,
      String model,
      String name,
      UUID siteId,
      List<String> tags,
      Map<String, Object> variables,
      String status,
      String configStatus,
      List<String> replacedSerials,
      Instant createdAt,
      Instant updatedAt) {

    /** As {@code caller} may see it: variables can hold network secrets, a VIEWER sees metadata. */
    DeviceResponse seenBy(Caller caller) {
      if (caller.role().covers(Role.OPERATOR)) {
        return this;
      }
      return new DeviceResponse(
          id,
          serial,
          model,
          name,
          siteId,
          tags,
          null,
          status,
          configStatus,
          replacedSerials,
          createdAt,
          updatedAt);
    }
  }

  /** The bootstrap token is shown here once; only its hash is stored. */
  record TokenResponse(UUID deviceId, String serial, String bootstrapToken, Instant expiresAt) {}

  record CreatedDeviceResponse(
      UUID id,
      String serial,
      String model,
      String name,
      UUID siteId,
      List<String> tags,
      Instant createdAt,
      String bootstrapToken,
      Instant bootstrapTokenExpiresAt) {}
}
