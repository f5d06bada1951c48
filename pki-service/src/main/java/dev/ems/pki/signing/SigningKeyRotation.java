package dev.ems.pki.signing;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The rotation policy: a tenant whose newest config-signing certificate has lived two thirds of its
 * lifetime gets a new key, so the successor is certified and published long before the old one
 * expires (and the old chain stays published until then, so bundles it signed still verify).
 */
@Component
class SigningKeyRotation {

  private static final int BATCH = 100;

  private final ConfigSigningService service;

  SigningKeyRotation(ConfigSigningService service) {
    this.service = service;
  }

  @Scheduled(
      fixedDelayString = "${pki.config-signing-check-interval:PT10M}",
      initialDelayString = "${pki.config-signing-check-interval:PT10M}")
  public void rotateAged() {
    while (service.rotateAged(BATCH) == BATCH) {
      // more tenants are due: next batch
    }
  }
}
