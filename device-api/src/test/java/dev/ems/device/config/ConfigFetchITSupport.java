package dev.ems.device.config;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.CertificateIssued;
import dev.ems.common.event.Topics;
import dev.ems.device.DeviceApiClient;
import dev.ems.embedded.TestEvents;
import java.time.Instant;
import java.util.UUID;

/** Devices with EMS certificates, announced as pki-service would. */
public final class ConfigFetchITSupport {

  private ConfigFetchITSupport() {}

  /** Returns the device's certificate PEM once PKI's CertificateIssued is published. */
  public static String enrolledDevice(UUID device) throws Exception {
    String pem = DeviceApiClient.selfSignedPem(DeviceApiClient.keyPair(), device.toString());
    TestEvents.publish(
        Topics.PKI_CERTIFICATES,
        EventEnvelope.of(
            "/pki",
            "default",
            device.toString(),
            new CertificateIssued(
                device,
                "0a1b",
                "CN=Issuing",
                "CN=" + device,
                DeviceApiClient.fingerprint(pem),
                Instant.now(),
                Instant.now().plusSeconds(86400))));
    return pem;
  }
}
