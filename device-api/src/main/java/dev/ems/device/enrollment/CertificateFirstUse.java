package dev.ems.device.enrollment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.device.identity.CertificateUse;
import dev.ems.device.identity.Credentials.Credential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reports a renewed certificate's first use to pki-service, which then supersedes the certificates
 * issued to the device before it (issue 18: the old one counts until the new one works). Once per
 * certificate and process, off the request path; a failed report is forgotten so that the device's
 * next request reports again, and a restarted device-api reports again on the first request
 * (pki-service's answer is idempotent).
 */
@Component
class CertificateFirstUse implements CertificateUse {

  private static final Logger log = LoggerFactory.getLogger(CertificateFirstUse.class);

  private final PkiClient pki;

  /** Fingerprints reported or being reported; bounded, the least recent forgotten first. */
  private final Cache<String, Boolean> reported =
      Caffeine.newBuilder().maximumSize(100_000).build();

  CertificateFirstUse(PkiClient pki) {
    this.pki = pki;
  }

  @Override
  public void firstUse(Credential credential, String fingerprint) {
    if (reported.asMap().putIfAbsent(fingerprint, Boolean.TRUE) != null) {
      return;
    }
    pki.inUse(credential.tenant(), credential.deviceId(), credential.serialNumber())
        .subscribe(
            done -> {},
            failure -> {
              if (failure instanceof PkiClient.PkiUnavailable) {
                // pki-service away: the device's next request reports again
                reported.invalidate(fingerprint);
              }
              log.warn(
                  "certificate {} of device {} in use, not reported to pki-service yet: {}",
                  credential.serialNumber(),
                  credential.deviceId(),
                  failure.getClass().getSimpleName());
            });
  }
}
