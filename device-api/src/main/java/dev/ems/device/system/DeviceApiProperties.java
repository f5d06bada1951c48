package dev.ems.device.system;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of device-api ({@code device-api.*}).
 *
 * @param cacheMaxEntries most device configurations kept in memory
 */
@Validated
@ConfigurationProperties("device-api")
public record DeviceApiProperties(@Min(1) int cacheMaxEntries) {}
