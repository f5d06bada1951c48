package dev.ems.device.config;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.CertificateRevoked;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestEvents;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** Devices with EMS certificates, announced as pki-service would, and their published configs. */
public final class ConfigFetchITSupport {

  private ConfigFetchITSupport() {}

  /** Returns the device's certificate PEM once PKI's CertificateIssued is published. */
  public static String enrolledDevice(UUID device) throws Exception {
    String pem = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), device.toString());
    announce(device, DeviceApiClient.fingerprint(pem));
    return pem;
  }

  /** Publishes PKI's CertificateRevoked (keyCompromise) for the certificate. */
  public static void revoke(UUID device, String serialHex, String issuerDn, String fingerprint)
      throws Exception {
    publishPki(
        device,
        new CertificateRevoked(
            device, serialHex, issuerDn, fingerprint, "keyCompromise", Instant.now()));
  }

  /**
   * Announces the device as the inventory does (a certificate counts only for a known device of its
   * tenant), then publishes PKI's CertificateIssued for the certificate with this SHA-256
   * fingerprint.
   */
  public static void announce(UUID device, String fingerprint) throws Exception {
    TestEvents.publish(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            "/sc",
            "default",
            device.toString(),
            new DeviceCreated(device, "SN-" + device, "m", "n", Instant.now())));
    publishPki(
        device,
        new CertificateIssued(
            device,
            "0a1b",
            "CN=Issuing",
            "CN=" + device,
            fingerprint,
            Instant.now(),
            Instant.now().plusSeconds(86400)));
  }

  /** Publishes a pki-service event about the device, keyed by it, as pki-service does. */
  private static void publishPki(UUID device, Object payload) throws Exception {
    TestEvents.publish(
        Topics.PKI_CERTIFICATES, EventEnvelope.of("/pki", "default", device.toString(), payload));
  }

  /** Publishes a config as sc-service would; returns its sha256 (the ETag without quotes). */
  public static String publish(UUID device, int version, String content) throws Exception {
    String sha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest((device + "/" + version + "/" + content).getBytes()));
    var event =
        new ConfigPublished(
            device,
            version,
            sha,
            List.of(new ConfigFile("/etc/config/system", content)),
            UUID.randomUUID(),
            Instant.now(),
            null);
    TestEvents.publish(
        Topics.SC_CONFIGS, EventEnvelope.of("/test", "default", device.toString(), event));
    return sha;
  }
}
