package dev.ems.sc.webhook;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook delivery settings ({@code sc.webhooks.*}).
 *
 * @param allowedTargets hosts, IP addresses or CIDR ranges that a subscription may name although
 *     they are loopback, link-local or private ({@code EMS_WEBHOOK_ALLOWED_TARGETS}, empty by
 *     default: such targets are refused)
 * @param pollInterval how often due deliveries are looked for
 * @param initialBackoff the wait after the first failed attempt; it doubles after each failure
 * @param maxBackoff the longest wait between two attempts
 * @param retryFor how long a message is retried before it counts as failed
 * @param disableAfter how long a subscription may fail without a success before it is disabled
 * @param requestTimeout the time a target has to answer one delivery
 * @param batchSize most deliveries sent per poll
 * @param retention how long delivered and failed deliveries stay in the log
 */
@Validated
@ConfigurationProperties("sc.webhooks")
record WebhookProperties(
    @NotNull List<String> allowedTargets,
    @NotNull Duration pollInterval,
    @NotNull Duration initialBackoff,
    @NotNull Duration maxBackoff,
    @NotNull Duration retryFor,
    @NotNull Duration disableAfter,
    @NotNull Duration requestTimeout,
    @Min(1) @Max(1000) int batchSize,
    @NotNull Duration retention) {}
