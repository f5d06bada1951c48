package dev.ems.platform;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the shared platform ({@code ems.platform.*}).
 *
 * @param bootstrapAdminKey on first start this key becomes the first admin key of {@code
 *     bootstrapTenant} ({@code EMS_BOOTSTRAP_ADMIN_KEY}); empty for none
 * @param bootstrapTenant the tenant of the bootstrap admin key
 * @param outboxPollInterval how often the outbox relay looks for events it was not woken for
 * @param outboxLinger how long the relay lets events gather after a commit woke it, so that busy
 *     moments go out in batches (one query, one Kafka flush, one delete for many events)
 * @param kafkaPartitions partitions of the topics this suite creates
 * @param kafkaReplicationFactor replication factor of those topics
 * @param maxBodySize the largest operator request body (413 beyond)
 * @param bodyLimits larger limits for some paths (path pattern → size), e.g. template sets
 * @param encodedSlashPaths path prefixes whose requests may hold an encoded slash (OCSP GET)
 */
@Validated
@ConfigurationProperties("ems.platform")
public record PlatformProperties(
    String bootstrapAdminKey,
    @NotBlank String bootstrapTenant,
    @NotNull Duration outboxPollInterval,
    @NotNull Duration outboxLinger,
    @Min(1) int kafkaPartitions,
    @Min(1) short kafkaReplicationFactor,
    @NotNull DataSize maxBodySize,
    Map<String, DataSize> bodyLimits,
    List<String> encodedSlashPaths) {

  public PlatformProperties {
    bodyLimits = bodyLimits == null ? Map.of() : Map.copyOf(bodyLimits);
    encodedSlashPaths = encodedSlashPaths == null ? List.of() : List.copyOf(encodedSlashPaths);
  }
}
