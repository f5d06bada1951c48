package dev.ems.common.asyncapi;

import static dev.ems.common.asyncapi.AsyncApiDocument.map;

import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.event.Topics;
import java.util.List;
import java.util.Map;

/** The prose of {@code docs/api/asyncapi.yaml}: what the records alone cannot say. */
final class AsyncApiTexts {

  private AsyncApiTexts() {}

  static final String DESCRIPTION =
      """
      Every event EMS services exchange over Kafka (DESIGN.md, docs/adr/0002 and 0003).

      - **Envelope**: CloudEvents 1.0, Kafka protocol binding, binary content mode. The context \
      attributes travel in `ce_*` headers (`ce_specversion` 1.0, `ce_id`, `ce_type` = `dev.ems.` + \
      the record's name, `ce_source`, `ce_time`, `ce_subject`, the `ce_tenant` extension) and, when \
      the writing transaction was traced, the distributed-tracing extension (`ce_traceparent`, \
      `ce_tracestate`, W3C trace context). `content-type` is `application/json`; the value is the \
      payload record as JSON.
      - **Keys and ordering**: the record key is the device id on every device topic, so one \
      device's events are in order (one partition); the tenant on the config-signing topics and on \
      the tenant topic, the key id on the API-key topic, the subscription id on the webhook topic. \
      There is no order across topics or keys.
      - **Delivery**: at least once. Events are written in the same database transaction as the \
      state change (transactional outbox) and relayed to Kafka; a relay retry may send an event \
      twice (same `ce_id`). Consumers are idempotent. A record that cannot be processed goes, after \
      bounded retries, to `<topic>.dlt` and never blocks its partition.
      - **Compaction**: topics that carry the current state per key (API keys, tenants, device \
      feature sets, feature definitions) are log-compacted: only the latest record per key is kept \
      for sure.
      - **Evolution**: additive only. New fields may appear in any payload; consumers ignore \
      fields they do not know. A breaking change is a new topic (`.v2`).
      - **Schemas** are generated from the common-lib records \
      (`AsyncApiDocumentTests`, see README "Event stream"); a record field that is a reference type \
      may be null.
      """;

  static Map<String, Object> cloudEventHeaders() {
    return map(
        "type",
        "object",
        "required",
        List.of(
            CloudEventCodec.H_SPEC_VERSION,
            CloudEventCodec.H_ID,
            CloudEventCodec.H_TYPE,
            CloudEventCodec.H_SOURCE,
            CloudEventCodec.H_TIME,
            CloudEventCodec.H_SUBJECT,
            CloudEventCodec.H_TENANT,
            CloudEventCodec.H_CONTENT_TYPE),
        "properties",
        map(
            CloudEventCodec.H_SPEC_VERSION,
            map("type", "string", "const", CloudEventCodec.SPEC_VERSION),
            CloudEventCodec.H_ID,
            map("type", "string", "description", "Unique per event; the same on a redelivery."),
            CloudEventCodec.H_TYPE,
            map("type", "string", "description", "dev.ems. + the payload record's name."),
            CloudEventCodec.H_SOURCE,
            map("type", "string", "description", "/<service>/<feature>, e.g. /sc-service/devices."),
            CloudEventCodec.H_TIME,
            map("type", "string", "format", "date-time"),
            CloudEventCodec.H_SUBJECT,
            map("type", "string", "description", "What the event is about; equals the record key."),
            CloudEventCodec.H_TENANT,
            map("type", "string", "description", "CloudEvents extension: the tenant id."),
            CloudEventCodec.H_TRACEPARENT,
            map(
                "type",
                "string",
                "description",
                "CloudEvents distributed-tracing extension: W3C traceparent of the writer."),
            CloudEventCodec.H_TRACESTATE,
            map("type", "string", "description", "W3C tracestate, when the writer had one."),
            CloudEventCodec.H_CONTENT_TYPE,
            map("type", "string", "const", CloudEventCodec.JSON)));
  }

  /** sc-service's own queue record (not in common-lib: no other service reads it). */
  static Map<String, Object> configRequested() {
    return map(
        "type",
        "object",
        "required",
        List.of("requestId", "deviceId"),
        "properties",
        map(
            "requestId",
            map("type", List.of("string", "null"), "format", "uuid"),
            "deviceId",
            map("type", List.of("string", "null"), "format", "uuid")));
  }

  static String channel(Topics.TopicDefinition topic) {
    return producer(topic.name())
        + " writes it (outbox). Key: "
        + key(topic.name())
        + (topic.compacted()
            ? " Log-compacted: the latest record per key is the current state."
            : "")
        + " Dead letters: "
        + Topics.deadLetter(topic.name())
        + ".";
  }

  static String producer(String topic) {
    String owner = topic.split("\\.")[1];
    return switch (owner) {
      case "sc" -> "sc-service";
      case "tw" -> "tw-service";
      case "pki" -> "pki-service";
      case "device" -> "device-api";
      case "diag" -> "diagnostic-service";
      default -> throw new IllegalArgumentException("no owner for " + topic);
    };
  }

  static String key(String topic) {
    return switch (topic) {
      case Topics.SC_API_KEYS -> "the API key id.";
      case Topics.SC_TENANTS -> "the tenant id.";
      case Topics.SC_CONFIG_SIGNING, Topics.PKI_CONFIG_SIGNING -> "the tenant id.";
      case Topics.SC_WEBHOOKS -> "the webhook subscription id.";
      case Topics.TW_FEATURE_DEFINITIONS -> "<tenant>/<feature key>/<version>.";
      case Topics.SC_AUDIT,
          Topics.TW_AUDIT,
          Topics.DIAG_AUDIT,
          Topics.PKI_AUDIT,
          Topics.DEVICE_AUDIT ->
          "the tenant id (a tenant's hash chain in order).";
      default -> "the device id (order per device).";
    };
  }

  static String summary(String name) {
    return SUMMARIES.getOrDefault(name, name);
  }

  private static final Map<String, String> SUMMARIES =
      Map.ofEntries(
          Map.entry("DeviceCreated", "An operator added a device to the inventory."),
          Map.entry("DeviceUpdated", "A device's inventory data changed."),
          Map.entry(
              "DeviceDecommissioned", "A device was decommissioned; EMS refuses it from now."),
          Map.entry(
              "BootstrapTokenIssued", "A device got a new one-time bootstrap token (hash only)."),
          Map.entry("ConfigPublished", "A new configuration version of a device was rendered."),
          Map.entry("ApiKeyIssued", "An operator API key was issued or revoked (hash only)."),
          Map.entry("TenantChanged", "A tenant was created, suspended or resumed."),
          Map.entry(
              "ConfigSigningKeyRequested", "sc-service asks for a config-signing certificate."),
          Map.entry("ChangeSetFeaturesApproved", "An approved change set's feature changes."),
          Map.entry("WebhookDisabled", "A webhook subscription failed for a day and was disabled."),
          Map.entry(
              "AuditRecorded",
              "An audited action (operator write, PKI operation, enrollment), hash-chained per tenant."),
          Map.entry("DeviceFeaturesChanged", "A device's whole feature set (current state)."),
          Map.entry("FeatureDefinitionChanged", "A feature of a tenant's catalogue changed."),
          Map.entry("CertificateIssued", "A device certificate was issued."),
          Map.entry("CertificateRevoked", "A device certificate was revoked."),
          Map.entry("CertificateExpiring", "A device certificate expires soon."),
          Map.entry(
              "ConfigSigningCertificateIssued", "pki-service certified a config-signing key."),
          Map.entry("ConfigSigningKeyRotationRequested", "pki-service asks for a new signing key."),
          Map.entry("ConfigStatusReported", "A device reported applying a version (or failing)."),
          Map.entry("CheckResultReported", "A device reported the result of an on-demand check."),
          Map.entry("HeartbeatReceived", "A device's heartbeat (uptime, firmware, tunnels)."),
          Map.entry("HealthChanged", "A device's health moved (transitions only)."),
          Map.entry("DeviceCommandRequested", "An on-demand check for a device to run."),
          Map.entry("ConfigRequested", "sc-service's queue: a config request to render."));
}
