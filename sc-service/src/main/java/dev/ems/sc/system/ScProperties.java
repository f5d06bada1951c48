package dev.ems.sc.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of sc-service ({@code sc.*}).
 *
 * @param maxVariables most input variables one config request may carry
 * @param maxRenderedBytes largest rendered configuration bundle accepted
 * @param bootstrapTokenTtl how long a bootstrap token stays valid for enrollment
 * @param emsEndpoint the EMS management endpoint devices tunnel to (template variable {@code
 *     ems.endpoint})
 * @param generationConcurrency consumers of the config-request queue; more than the topic's
 *     partitions stay idle
 * @param secretsKey base64 AES-256 key that encrypts secret variables and the device bundles that
 *     hold them at rest ({@code EMS_SECRETS_KEY}, no default)
 * @param featureDefinitionWait how long a config request waits for a feature definition its
 *     device's feature set names and SC has not received (definitions and feature sets are
 *     different topics, without order between them) before it fails
 */
@Validated
@ConfigurationProperties("sc")
public record ScProperties(
    @Min(1) @Max(10_000) int maxVariables,
    @Min(1024) int maxRenderedBytes,
    @NotNull Duration bootstrapTokenTtl,
    @NotNull String emsEndpoint,
    @Min(1) @Max(64) int generationConcurrency,
    @NotBlank(message = "EMS_SECRETS_KEY is not set (sc.secrets-key)") String secretsKey,
    @NotNull Duration featureDefinitionWait) {

  /** Never the key itself: a bound record's toString reaches failure analyses and logs. */
  @Override
  public String toString() {
    return ("ScProperties[maxVariables=%d, maxRenderedBytes=%d, bootstrapTokenTtl=%s,"
            + " emsEndpoint=%s, generationConcurrency=%d, secretsKey=%s,"
            + " featureDefinitionWait=%s]")
        .formatted(
            maxVariables,
            maxRenderedBytes,
            bootstrapTokenTtl,
            emsEndpoint,
            generationConcurrency,
            secretsKey == null || secretsKey.isBlank() ? "<not set>" : "******",
            featureDefinitionWait);
  }
}
