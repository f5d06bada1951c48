package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * sc-service stopped delivering to a webhook subscription because its target failed for a day
 * (topic {@link Topics#SC_WEBHOOKS}, key = subscription id). {@code reason}: the last error.
 */
public record WebhookDisabled(
    UUID subscriptionId, String url, Instant failingSince, String reason, Instant disabledAt) {}
