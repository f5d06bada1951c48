package dev.ems.common.event;

import java.util.List;

/**
 * Kafka topic names, {@code ems.<owner>.<name>.v1}. The record key is always the device id so that
 * events of one device stay in order; on the config-signing topics it is the tenant.
 */
public final class Topics {

  public static final String SC_DEVICES = "ems.sc.devices.v1";
  public static final String SC_CONFIG_REQUESTS = "ems.sc.config-requests.v1";
  public static final String SC_CONFIGS = "ems.sc.configs.v1";
  public static final String SC_API_KEYS = "ems.sc.api-keys.v1";
  public static final String SC_TENANTS = "ems.sc.tenants.v1";
  public static final String SC_CONFIG_SIGNING = "ems.sc.config-signing.v1";
  public static final String SC_CHANGE_SETS = "ems.sc.change-sets.v1";
  public static final String SC_WEBHOOKS = "ems.sc.webhooks.v1";
  public static final String TW_DEVICE_FEATURES = "ems.tw.device-features.v1";
  public static final String TW_FEATURE_DEFINITIONS = "ems.tw.feature-definitions.v1";
  public static final String PKI_CERTIFICATES = "ems.pki.certificates.v1";
  public static final String PKI_CONFIG_SIGNING = "ems.pki.config-signing.v1";
  public static final String DEVICE_REPORTS = "ems.device.reports.v1";
  public static final String DEVICE_TELEMETRY = "ems.device.telemetry.v1";
  public static final String DIAG_HEALTH = "ems.diag.health.v1";
  public static final String DIAG_COMMANDS = "ems.diag.commands.v1";
  public static final String SC_AUDIT = "ems.sc.audit.v1";
  public static final String TW_AUDIT = "ems.tw.audit.v1";
  public static final String DIAG_AUDIT = "ems.diag.audit.v1";
  public static final String PKI_AUDIT = "ems.pki.audit.v1";
  public static final String DEVICE_AUDIT = "ems.device.audit.v1";

  /** Suffix of the dead-letter topic that receives records of a topic that cannot be processed. */
  public static final String DEAD_LETTER_SUFFIX = ".dlt";

  /** Every topic of the suite; the ones that carry current state are compacted. */
  public static final List<TopicDefinition> ALL =
      List.of(
          new TopicDefinition(SC_DEVICES, false),
          new TopicDefinition(SC_CONFIG_REQUESTS, false),
          new TopicDefinition(SC_CONFIGS, false),
          new TopicDefinition(SC_API_KEYS, true),
          new TopicDefinition(SC_TENANTS, true),
          new TopicDefinition(SC_CHANGE_SETS, false),
          new TopicDefinition(SC_WEBHOOKS, false),
          new TopicDefinition(TW_DEVICE_FEATURES, true),
          new TopicDefinition(TW_FEATURE_DEFINITIONS, true),
          new TopicDefinition(PKI_CERTIFICATES, false),
          new TopicDefinition(DEVICE_REPORTS, false),
          new TopicDefinition(DEVICE_TELEMETRY, false),
          new TopicDefinition(DIAG_HEALTH, false),
          new TopicDefinition(DIAG_COMMANDS, false),
          new TopicDefinition(SC_CONFIG_SIGNING, false),
          new TopicDefinition(PKI_CONFIG_SIGNING, false),
          new TopicDefinition(SC_AUDIT, false),
          new TopicDefinition(TW_AUDIT, false),
          new TopicDefinition(DIAG_AUDIT, false),
          new TopicDefinition(PKI_AUDIT, false),
          new TopicDefinition(DEVICE_AUDIT, false));

  /** The audit topic of the service that owns schema {@code owner} ({@code sc}, {@code pki}...). */
  public static String audit(String owner) {
    return "ems." + owner + ".audit.v1";
  }

  public static String deadLetter(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }

  private Topics() {}

  /** A topic and whether it is log-compacted (it carries the latest state per key). */
  public record TopicDefinition(String name, boolean compacted) {}
}
