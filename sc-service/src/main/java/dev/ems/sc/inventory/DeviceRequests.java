package dev.ems.sc.inventory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** Request and response bodies of the inventory API. */
final class DeviceRequests {

  private DeviceRequests() {}

  record CreateDeviceRequest(
      @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]+") String serial,
      @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String model,
      @NotBlank @Size(max = 128) String name) {}

  record DeviceResponse(
      UUID id, String serial, String model, String name, Instant createdAt, Instant updatedAt) {

    static DeviceResponse of(Device d) {
      return new DeviceResponse(
          d.id(), d.serial(), d.model(), d.name(), d.createdAt(), d.updatedAt());
    }
  }

  /** The bootstrap token is shown here once; only its hash is stored. */
  record CreatedDeviceResponse(
      UUID id,
      String serial,
      String model,
      String name,
      Instant createdAt,
      String bootstrapToken) {}
}
