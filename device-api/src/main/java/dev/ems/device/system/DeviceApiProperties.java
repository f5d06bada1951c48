package dev.ems.device.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of device-api ({@code device-api.*}).
 *
 * @param cacheMaxEntries most device configurations kept in memory
 * @param trustedProxies addresses whose forwarded client certificate header is believed
 * @param clientCertHeader the header carrying the URL-encoded PEM client certificate (nginx {@code
 *     $ssl_client_escaped_cert})
 * @param rateLimitPerMinute sustained requests per device and minute
 * @param rateLimitBurst requests a device may make at once
 * @param maxFutureSkew how far a device's timestamps may be ahead of ours
 * @param maxBodyBytes largest request body accepted
 * @param pki how to reach pki-service for enrollment
 * @param instanceId this replica's name among device-api's replicas, unique per replica; blank
 *     means the host name (a container's own)
 */
@Validated
@ConfigurationProperties("device-api")
public record DeviceApiProperties(
    @Min(1) int cacheMaxEntries,
    @NotNull List<String> trustedProxies,
    @NotBlank String clientCertHeader,
    @Min(1) int rateLimitPerMinute,
    @Min(1) int rateLimitBurst,
    @NotNull Duration maxFutureSkew,
    @Min(1024) int maxBodyBytes,
    @Valid @NotNull Pki pki,
    String instanceId) {

  /**
   * pki-service's internal enrollment API (docs/adr/0006); {@code internalApiKey} has no default.
   */
  public record Pki(
      @NotBlank String url,
      @NotBlank(message = "EMS_INTERNAL_API_KEY is not set (device-api.pki.internal-api-key)")
          String internalApiKey,
      @NotNull Duration timeout,
      @Min(1) int attempts) {}
}
