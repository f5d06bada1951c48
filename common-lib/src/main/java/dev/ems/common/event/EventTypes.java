package dev.ems.common.event;

import java.util.List;

/**
 * Every event type of common-lib and the topic it travels on: the catalogue that {@code
 * docs/api/asyncapi.yaml} is generated from (one JSON Schema per type, from the record).
 */
public final class EventTypes {

  /** An event record and its topic. */
  public record EventType(Class<? extends Record> payload, String topic) {}

  public static final List<EventType> ALL =
      List.of(
          new EventType(DeviceCreated.class, Topics.SC_DEVICES),
          new EventType(DeviceUpdated.class, Topics.SC_DEVICES),
          new EventType(DeviceDecommissioned.class, Topics.SC_DEVICES),
          new EventType(BootstrapTokenIssued.class, Topics.SC_DEVICES),
          new EventType(ConfigPublished.class, Topics.SC_CONFIGS),
          new EventType(ApiKeyIssued.class, Topics.SC_API_KEYS),
          new EventType(TenantChanged.class, Topics.SC_TENANTS),
          new EventType(ConfigSigningKeyRequested.class, Topics.SC_CONFIG_SIGNING),
          new EventType(ChangeSetFeaturesApproved.class, Topics.SC_CHANGE_SETS),
          new EventType(WebhookDisabled.class, Topics.SC_WEBHOOKS),
          new EventType(DeviceFeaturesChanged.class, Topics.TW_DEVICE_FEATURES),
          new EventType(FeatureDefinitionChanged.class, Topics.TW_FEATURE_DEFINITIONS),
          new EventType(CertificateIssued.class, Topics.PKI_CERTIFICATES),
          new EventType(CertificateRevoked.class, Topics.PKI_CERTIFICATES),
          new EventType(CertificateExpiring.class, Topics.PKI_CERTIFICATES),
          new EventType(ConfigSigningCertificateIssued.class, Topics.PKI_CONFIG_SIGNING),
          new EventType(ConfigSigningKeyRotationRequested.class, Topics.PKI_CONFIG_SIGNING),
          new EventType(ConfigStatusReported.class, Topics.DEVICE_REPORTS),
          new EventType(CheckResultReported.class, Topics.DEVICE_REPORTS),
          new EventType(HeartbeatReceived.class, Topics.DEVICE_TELEMETRY),
          new EventType(HealthChanged.class, Topics.DIAG_HEALTH),
          new EventType(DeviceCommandRequested.class, Topics.DIAG_COMMANDS),
          new EventType(AuditRecorded.class, Topics.SC_AUDIT),
          new EventType(AuditRecorded.class, Topics.TW_AUDIT),
          new EventType(AuditRecorded.class, Topics.DIAG_AUDIT),
          new EventType(AuditRecorded.class, Topics.PKI_AUDIT),
          new EventType(AuditRecorded.class, Topics.DEVICE_AUDIT));

  private EventTypes() {}
}
