package dev.ems.sc.webhook;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.CertificateExpiring;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.DeviceDecommissioned;
import dev.ems.common.event.DeviceUpdated;
import dev.ems.common.event.HealthChanged;
import dev.ems.common.event.WebhookDisabled;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The events a subscription may ask for: operator-facing facts about devices, their configs,
 * certificates and health, and webhooks themselves. Internal traffic (config requests, keys,
 * signing, heartbeats) is not offered. Some payload fields never leave EMS (a config's files and
 * signature: the files may hold rendered secrets).
 */
final class WebhookEventTypes {

  static final Set<String> ALL =
      List.of(
              DeviceCreated.class,
              DeviceUpdated.class,
              DeviceDecommissioned.class,
              ConfigPublished.class,
              ConfigStatusReported.class,
              CertificateIssued.class,
              CertificateRevoked.class,
              CertificateExpiring.class,
              HealthChanged.class,
              WebhookDisabled.class)
          .stream()
          .map(EventEnvelope::typeOf)
          .collect(Collectors.toUnmodifiableSet());

  /** Payload fields left out of the webhook body, per type. */
  static final Map<String, Set<String>> WITHHELD =
      Map.of(EventEnvelope.typeOf(ConfigPublished.class), Set.of("files", "signature"));

  private WebhookEventTypes() {}
}
