package dev.ems.device.config;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /device/v1/config}: the device's current configuration bundle, {@code 304} when its
 * {@code If-None-Match} names it already. Served from memory; no call to another service.
 */
@RestController
class ConfigController {

  /**
   * TEMPORARY (until the enrollment issue brings certificate authentication): the device names
   * itself with this header. Anyone who knows a device id can read its configuration.
   */
  static final String DEVICE_ID_HEADER = "X-Device-Id";

  static final String VERSION_HEADER = "X-Config-Version";

  private final ConfigCache cache;

  ConfigController(ConfigCache cache) {
    this.cache = cache;
  }

  @GetMapping("/device/v1/config")
  ResponseEntity<byte[]> config(
      @RequestHeader(name = DEVICE_ID_HEADER, required = false) String deviceHeader,
      @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
    UUID deviceId = deviceId(deviceHeader);
    PublishedConfig config =
        cache
            .get(deviceId)
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.CONFIG_NOT_FOUND,
                        "No configuration has been published for device " + deviceId));
    if (config.matches(ifNoneMatch)) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
          .eTag(config.etag())
          .header(VERSION_HEADER, Integer.toString(config.version()))
          .cacheControl(CacheControl.noCache())
          .build();
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .eTag(config.etag())
        .header(VERSION_HEADER, Integer.toString(config.version()))
        .cacheControl(CacheControl.noCache())
        .body(config.body());
  }

  private static UUID deviceId(String header) {
    if (header == null || header.isBlank()) {
      throw new EmsException(
          ErrorCode.UNAUTHENTICATED, "The device must identify itself", DEVICE_ID_HEADER);
    }
    try {
      return UUID.fromString(header.trim());
    } catch (IllegalArgumentException e) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "X-Device-Id must be a device id (UUID)", DEVICE_ID_HEADER);
    }
  }
}
