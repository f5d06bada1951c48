package dev.ems.device.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.identity.Credentials;
import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.inventory.DeviceDirectory;
import dev.ems.device.inventory.DeviceDirectory.EnrollableDevice;
import dev.ems.device.signing.SigningChains;
import dev.ems.platform.audit.AuditEntry;
import dev.ems.platform.audit.AuditTrail;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.tenant.Tenants;
import dev.ems.platform.web.EmsException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zero-touch enrollment: serial + single-use bootstrap token + CSR → certificate chain. The token
 * is checked against the directory built from SC's events and consumed only once PKI has issued;
 * PKI down → 503 and the token stays valid. The same device with the same CSR gets the same answer
 * again (a device that lost the response may retry).
 */
@Service
class EnrollmentService {

  record Enrollment(
      UUID deviceId,
      String serial,
      String certificateSerial,
      String certificatePem,
      String chainPem,
      String caBundlePem,
      Instant notAfter,
      List<SigningChains.Chain> configSigningKeys) {

    /**
     * The answer with the tenant's config-signing chains (issue 14.7) as they are now: added to
     * every answer, never stored with it, so a retried enrollment gets the current ones.
     */
    Enrollment withConfigSigningKeys(List<SigningChains.Chain> chains) {
      return new Enrollment(
          deviceId,
          serial,
          certificateSerial,
          certificatePem,
          chainPem,
          caBundlePem,
          notAfter,
          chains);
    }
  }

  private final DeviceDirectory directory;
  private final Credentials credentials;
  private final PkiClient pki;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Tenants tenants;
  private final TransactionTemplate tx;
  private final SigningChains signingChains;
  private final AuditTrail audit;

  EnrollmentService(
      DeviceDirectory directory,
      Credentials credentials,
      PkiClient pki,
      JdbcClient jdbc,
      JsonMapper json,
      TransactionTemplate tx,
      Tenants tenants,
      SigningChains signingChains,
      AuditTrail audit) {
    this.audit = audit;
    this.tenants = tenants;
    this.signingChains = signingChains;
    this.directory = directory;
    this.credentials = credentials;
    this.pki = pki;
    this.jdbc = jdbc;
    this.json = json;
    this.tx = tx;
  }

  Mono<Enrollment> enroll(String serial, String token, String csrPem) {
    String tokenHash = ApiKeys.hash(token);
    // the token is checked before the CSR is even parsed: a stranger learns nothing about CSRs
    return Mono.fromCallable(() -> check(serial, tokenHash, csrPem))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            checked ->
                checked
                    .previous()
                    .map(Mono::just)
                    .orElseGet(() -> issue(checked, token, tokenHash, csrPem))
                    .publishOn(Schedulers.boundedElastic())
                    .map(
                        enrollment ->
                            enrollment.withConfigSigningKeys(
                                signingChains.unexpired(checked.device().tenant()))));
  }

  /**
   * The tenant of the device that {@code serial} and {@code token} name (EST {@code cacerts} with
   * HTTP Basic, issue 19): the device's bootstrap credentials, spent or not (a device may ask after
   * it enrolled), of an active device of an active tenant; an unspent token past its expiry is
   * refused as at enrollment.
   */
  Mono<String> bootstrapTenant(String serial, String token) {
    String tokenHash = ApiKeys.hash(token);
    return Mono.fromCallable(
            () -> {
              EnrollableDevice device = known(serial, tokenHash);
              if (device.tokenUsedAt() == null
                  && device.tokenExpiresAt() != null
                  && device.tokenExpiresAt().isBefore(Instant.now())) {
                throw expired();
              }
              return device.tenant();
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Renewal with the device's current certificate (issue 18): a new certificate for a new key;
   * pki-service checks the certificate and the key again and supersedes the old certificate.
   */
  Mono<Enrollment> renew(DeviceIdentity device, String certificatePem, String csrPem) {
    csrDer(csrPem);
    UUID deviceId = device.deviceId();
    return pki.renew(device.tenant(), deviceId, certificatePem, csrPem)
        .onErrorMap(PkiClient.PkiUnavailable.class, EnrollmentService::unavailable)
        .publishOn(Schedulers.boundedElastic())
        .map(
            issued -> {
              credentials.issued(
                  DeviceAuthenticator.sha256(pemDer(issued.certificatePem())),
                  deviceId,
                  device.tenant(),
                  issued.serial(),
                  issued.notAfter());
              return new Enrollment(
                      deviceId,
                      directory.serialOf(deviceId),
                      issued.serial(),
                      issued.certificatePem(),
                      issued.chainPem(),
                      lastPem(issued.chainPem()),
                      issued.notAfter(),
                      null)
                  .withConfigSigningKeys(signingChains.unexpired(device.tenant()));
            });
  }

  private static EmsException unavailable(Throwable e) {
    return new EmsException(
        ErrorCode.SERVICE_UNAVAILABLE, "Certificates cannot be issued right now; retry later");
  }

  private Mono<Enrollment> issue(Checked checked, String token, String tokenHash, String csrPem) {
    EnrollableDevice device = checked.device();
    String csrHash = checked.csrHash();
    // pki-service checks the token again: the service key alone enrolls nothing
    return pki.enroll(device.tenant(), device.id(), token, csrPem)
        .onErrorMap(PkiClient.PkiUnavailable.class, EnrollmentService::unavailable)
        .publishOn(Schedulers.boundedElastic())
        .map(issued -> complete(device, tokenHash, csrHash, issued));
  }

  private record Checked(EnrollableDevice device, String csrHash, Optional<Enrollment> previous) {}

  private Checked check(String serial, String tokenHash, String csrPem) {
    EnrollableDevice device = known(serial, tokenHash);
    String csrHash = DeviceAuthenticator.sha256(csrDer(csrPem));
    if (device.tokenUsedAt() != null) {
      return new Checked(
          device, csrHash, Optional.of(previous(device.id(), csrHash).orElseThrow(() -> used())));
    }
    if (device.tokenExpiresAt() != null && device.tokenExpiresAt().isBefore(Instant.now())) {
      throw expired();
    }
    return new Checked(device, csrHash, Optional.empty());
  }

  /** The active device of an active tenant that the serial and token name. */
  private EnrollableDevice known(String serial, String tokenHash) {
    EnrollableDevice device =
        directory
            .byToken(tokenHash)
            .filter(d -> d.serial().equals(serial))
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.BOOTSTRAP_TOKEN_INVALID,
                        "The serial and bootstrap token do not match",
                        "bootstrapToken"));
    if (!device.active()) {
      throw new EmsException(ErrorCode.DEVICE_DECOMMISSIONED, "The device is decommissioned");
    }
    if (!tenants.isActive(device.tenant())) {
      throw new EmsException(ErrorCode.FORBIDDEN, "The device's tenant is suspended");
    }
    return device;
  }

  private static EmsException expired() {
    return new EmsException(
        ErrorCode.BOOTSTRAP_TOKEN_EXPIRED, "The bootstrap token has expired", "bootstrapToken");
  }

  private Enrollment complete(
      EnrollableDevice device, String tokenHash, String csrHash, PkiClient.Issued issued) {
    Enrollment enrollment =
        new Enrollment(
            device.id(),
            device.serial(),
            issued.serial(),
            issued.certificatePem(),
            issued.chainPem(),
            lastPem(issued.chainPem()),
            issued.notAfter(),
            null);
    return tx.execute(
        s -> {
          if (!directory.consumeToken(device.id(), tokenHash)) {
            // a concurrent enrollment won; the same CSR gets its answer, another CSR does not
            return previous(device.id(), csrHash).orElseThrow(EnrollmentService::used);
          }
          jdbc.sql(
                  "insert into enrollment (device_id, csr_sha256, response) values (?, ?, ?::jsonb)"
                      + " on conflict do nothing")
              .params(device.id(), csrHash, json.writeValueAsString(enrollment))
              .update();
          String fingerprint = DeviceAuthenticator.sha256(pemDer(issued.certificatePem()));
          credentials.issued(
              fingerprint, device.id(), device.tenant(), issued.serial(), issued.notAfter());
          // on the tenant's device-api chain, in this transaction (ems.device.audit.v1)
          audit.record(
              AuditEntry.of(
                  device.tenant(),
                  AuditEntry.Actor.device(device.id().toString(), device.serial()),
                  "device.enroll",
                  "device/" + device.id() + "/certificate/" + issued.serial(),
                  fingerprint));
          return enrollment;
        });
  }

  private Optional<Enrollment> previous(UUID deviceId, String csrHash) {
    return jdbc.sql("select response::text from enrollment where device_id = ? and csr_sha256 = ?")
        .params(deviceId, csrHash)
        .query(String.class)
        .optional()
        .map(text -> json.readValue(text, Enrollment.class));
  }

  private static EmsException used() {
    return new EmsException(
        ErrorCode.BOOTSTRAP_TOKEN_USED,
        "The bootstrap token was already used; ask the operator for a new one",
        "bootstrapToken");
  }

  static byte[] csrDer(String pem) {
    String base64 =
        pem.replaceAll("-----(BEGIN|END) (NEW )?CERTIFICATE REQUEST-----", "")
            .replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      if (der.length < 64) {
        throw new IllegalArgumentException("too short");
      }
      return der;
    } catch (IllegalArgumentException e) {
      throw new EmsException(ErrorCode.INVALID_CSR, "The CSR is not a PEM PKCS#10 request", "csr");
    }
  }

  /** The subject of a PEM certificate, DER. */
  static byte[] subjectOf(String certificatePem) {
    try {
      return org.bouncycastle.asn1.x509.Certificate.getInstance(pemDer(certificatePem))
          .getSubject()
          .getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] pemDer(String pem) {
    String base64 =
        pem.replace("-----BEGIN CERTIFICATE-----", "")
            .replace("-----END CERTIFICATE-----", "")
            .replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }

  /** The root of a chain: its last PEM block. */
  private static String lastPem(String chain) {
    List<String> blocks =
        List.of(chain.split("(?=-----BEGIN CERTIFICATE-----)")).stream()
            .filter(b -> b.contains("BEGIN CERTIFICATE"))
            .toList();
    return blocks.isEmpty() ? chain : blocks.getLast().strip() + "\n";
  }
}
