package dev.ems.pki.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.endentity.BootstrapTokens;
import dev.ems.pki.endentity.BootstrapTokens.BootstrapToken;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.IssuanceService;
import dev.ems.pki.issuance.IssuanceService.Issued;
import dev.ems.platform.web.EmsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Internal enrollment checks the device's own proof, not only the caller's service key: the
 * bootstrap token the device presented must be the device's current one (SHA-256, compared in
 * constant time), unexpired, and unused for any other CSR. A token that produced a certificate gets
 * only that certificate back, while it is valid (docs/adr/0006, amendment 2).
 */
@Service
class DeviceEnrollment {

  private final IssuanceService issuance;
  private final BootstrapTokens tokens;
  private final Clock clock;

  DeviceEnrollment(IssuanceService issuance, BootstrapTokens tokens, Clock clock) {
    this.issuance = issuance;
    this.tokens = tokens;
    this.clock = clock;
  }

  Issued enroll(String tenant, UUID deviceId, String bootstrapToken, String csrPem) {
    if (bootstrapToken == null || bootstrapToken.isBlank()) {
      throw invalid();
    }
    byte[] presented = sha256(bootstrapToken);
    Issued issued =
        issuance.enroll(
            tenant,
            deviceId.toString(),
            csrPem,
            (device, csrSha, certificateExists) ->
                admit(device, presented, csrSha, certificateExists));
    tokens.spent(
        issued.record().endEntityId(), HexFormat.of().formatHex(presented), clock.instant());
    return issued;
  }

  private void admit(EndEntity device, byte[] presented, String csrSha, boolean certificateExists) {
    BootstrapToken token =
        tokens
            .current(device.id())
            .filter(t -> matches(presented, t.sha256()))
            .orElseThrow(DeviceEnrollment::invalid);
    if (csrSha.equals(token.csrSha256())) {
      // the same CSR again: its certificate back, or the issuance that was interrupted completed;
      // never a new certificate from a spent token (its certificate was revoked)
      if (token.spentAt() != null && !certificateExists) {
        throw used();
      }
      return;
    }
    if (token.csrSha256() != null) {
      throw used();
    }
    if (token.expiresAt() != null && !token.expiresAt().isAfter(clock.instant())) {
      throw new EmsException(
          ErrorCode.BOOTSTRAP_TOKEN_EXPIRED, "The bootstrap token has expired", "bootstrapToken");
    }
    if (!tokens.claim(device.id(), token.sha256(), csrSha)) {
      throw used();
    }
  }

  private static boolean matches(byte[] presented, String storedHex) {
    try {
      return MessageDigest.isEqual(presented, HexFormat.of().parseHex(storedHex));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EmsException invalid() {
    return new EmsException(
        ErrorCode.BOOTSTRAP_TOKEN_INVALID,
        "The device's current bootstrap token is required",
        "bootstrapToken");
  }

  private static EmsException used() {
    return new EmsException(
        ErrorCode.BOOTSTRAP_TOKEN_USED,
        "The bootstrap token was already used for another request",
        "bootstrapToken");
  }
}
