package dev.ems.pki.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.issuance.CertificateRecord;
import dev.ems.pki.issuance.Certificates;
import dev.ems.pki.issuance.CsrValidator;
import dev.ems.pki.issuance.IssuanceService;
import dev.ems.pki.issuance.IssuanceService.Issued;
import dev.ems.pki.revocation.RevocationService;
import dev.ems.pki.system.Pem;
import dev.ems.pki.system.Serials;
import dev.ems.platform.web.EmsException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Renewal with the device's current certificate instead of a bootstrap token (issue 18, EST {@code
 * simplereenroll} and {@code /device/v1/renew}): pki-service verifies that the presented
 * certificate is one it issued to exactly this device's end entity, valid and unexpired, and that
 * the new CSR has a key never certified for the device before. The old certificate stays valid
 * until the device uses the new one (device-api then reports it in use, {@link #inUse}): a device
 * that lost the answer, or whose new certificate does not work, keeps its tunnel and its fetches.
 * The same CSR again gets the same certificate back (a device that lost the answer may retry with
 * the certificate it renewed).
 */
@Service
class DeviceRenewal {

  private final IssuanceService issuance;
  private final Certificates certificates;
  private final RevocationService revocation;
  private final Clock clock;

  DeviceRenewal(
      IssuanceService issuance,
      Certificates certificates,
      RevocationService revocation,
      Clock clock) {
    this.issuance = issuance;
    this.certificates = certificates;
    this.revocation = revocation;
    this.clock = clock;
  }

  Issued renew(String tenant, UUID deviceId, String certificatePem, String csrPem) {
    String fingerprint = fingerprint(certificatePem);
    return issuance.enroll(
        tenant,
        deviceId.toString(),
        csrPem,
        (device, csrSha, certificateExists) ->
            admit(device, fingerprint, csrPem, certificateExists),
        false);
  }

  /**
   * The device used its certificate {@code serial} (device-api saw it authenticate a request):
   * every certificate issued to it before that one is superseded. Idempotent; refused unless the
   * certificate is this device's, in this tenant, and valid.
   */
  List<String> inUse(String tenant, UUID deviceId, String serial) {
    CertificateRecord current =
        certificates
            .find(tenant, Serials.normalize(serial))
            .filter(c -> c.entityName().equals(deviceId.toString()))
            .orElseThrow(() -> EmsException.notFound(ErrorCode.CERTIFICATE_NOT_FOUND, serial));
    if (!CertificateRecord.VALID.equals(current.status())) {
      throw new EmsException(ErrorCode.CERTIFICATE_REVOKED, "The certificate is revoked", "serial");
    }
    return revocation.supersedeOlderThan(current);
  }

  private void admit(
      EndEntity device, String fingerprint, String csrPem, boolean certificateExists) {
    CertificateRecord current =
        certificates
            .findByFingerprint(fingerprint)
            .filter(c -> c.endEntityId().equals(device.id()))
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.CERTIFICATE_UNKNOWN,
                        "The certificate is not one EMS issued to this device",
                        "certificate"));
    if (!current.notAfter().isAfter(clock.instant())) {
      throw new EmsException(
          ErrorCode.CERTIFICATE_EXPIRED,
          "The certificate has expired; enroll again with a new bootstrap token",
          "certificate");
    }
    if (certificateExists) {
      // the retry of a renewal that already succeeded (the answer was lost)
      return;
    }
    if (!CertificateRecord.VALID.equals(current.status())) {
      throw new EmsException(
          ErrorCode.CERTIFICATE_REVOKED, "The certificate is revoked", "certificate");
    }
    PublicKey requested = CsrValidator.parse(csrPem).publicKey();
    List<byte[]> held = certificates.allDerOf(device.id());
    for (byte[] der : held) {
      if (Arrays.equals(Pem.parse(der).getPublicKey().getEncoded(), requested.getEncoded())) {
        throw new EmsException(
            ErrorCode.KEY_REUSED,
            "Renewal needs a new key pair; this key was already certified for the device",
            "csr");
      }
    }
  }

  private static String fingerprint(String pem) {
    List<java.security.cert.X509Certificate> parsed;
    try {
      parsed = Pem.parseAll(pem == null ? "" : pem);
    } catch (IllegalArgumentException e) {
      parsed = List.of();
    }
    if (parsed.size() != 1) {
      throw new EmsException(
          ErrorCode.CERTIFICATE_UNKNOWN, "One PEM certificate is required", "certificate");
    }
    return Pem.sha256Hex(Pem.der(parsed.getFirst()));
  }
}
