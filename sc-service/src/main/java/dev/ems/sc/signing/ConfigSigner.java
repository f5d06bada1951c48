package dev.ems.sc.signing;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigSigningCertificateIssued;
import dev.ems.common.event.ConfigSigningKeyRequested;
import dev.ems.common.event.ConfigSigningKeyRotationRequested;
import dev.ems.common.event.Topics;
import dev.ems.common.signing.ConfigSignatures;
import dev.ems.platform.outbox.Outbox;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.signing.SigningKeys.SigningKey;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs every new config version with its tenant's current config-signing key (issue 14.7, docs/adr
 * 0011). The key is made here and never leaves sc-service (sealed at rest under {@code
 * sc.secrets-key}); pki-service certifies it from the CSR this service publishes, and owns when a
 * key is rotated. A tenant's first key is current at once, before its certificate arrives (the
 * signature names it by {@code kid}; the chain follows); a rotated key becomes current only once it
 * is certified, so devices can always fetch the chain of what they are sent.
 */
@Service
public class ConfigSigner {

  /** A key still without a certificate after this long is requested again. */
  static final Duration REQUEST_AGAIN_AFTER = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(ConfigSigner.class);

  private final SigningKeys keys;
  private final Secrets secrets;
  private final Outbox outbox;
  private final Clock clock;
  private final Map<String, PrivateKey> opened = new ConcurrentHashMap<>();

  ConfigSigner(SigningKeys keys, Secrets secrets, Outbox outbox) {
    this.keys = keys;
    this.secrets = secrets;
    this.outbox = outbox;
    this.clock = Clock.systemUTC();
  }

  /** The detached JWS of the bundle by the tenant's current key, made first if there is none. */
  @Transactional
  public String sign(String tenant, List<ConfigFile> files) {
    SigningKey key = keys.current(tenant).orElseGet(() -> firstKey(tenant));
    Instant now = clock.instant();
    if (key.chainPem() == null && key.requestedAt().plus(REQUEST_AGAIN_AFTER).isBefore(now)) {
      // pki-service may have refused or lost the request: ask again, at most every few minutes
      keys.requestedAgain(key.keyId(), now);
      request(key, now);
    }
    PrivateKey privateKey =
        opened.computeIfAbsent(
            key.keyId(),
            id -> SigningKeyMaker.privateKey(secrets.openText(tenant, key.sealedPrivateKey())));
    return ConfigSignatures.sign(files, privateKey, key.keyId(), key.x5t());
  }

  /** pki-service certified a key: record the chain; a newer key than the current one takes over. */
  @Transactional
  public void certificateIssued(String tenant, ConfigSigningCertificateIssued issued) {
    SigningKey key =
        keys.find(issued.keyId())
            .filter(k -> k.tenant().equals(tenant) && tenant.equals(issued.tenant()))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no config-signing key " + issued.keyId() + " of tenant " + tenant));
    List<X509Certificate> chain = ConfigSignatures.parseChain(issued.chainPem());
    if (chain.isEmpty()
        || !key.keyId().equals(ConfigSignatures.kid(chain.getFirst().getPublicKey()))) {
      throw new IllegalArgumentException(
          "the certificate for config-signing key " + key.keyId() + " is for another key");
    }
    if (!keys.certify(
        key.keyId(),
        issued.chainPem(),
        ConfigSignatures.x5tS256(chain.getFirst()),
        issued.notBefore(),
        issued.notAfter())) {
      return;
    }
    SigningKey newest = keys.newest(tenant).orElseThrow();
    if (!key.current() && newest.keyId().equals(key.keyId())) {
      keys.makeCurrent(tenant, key.keyId());
      log.info("tenant {} signs configs with key {} from now on", tenant, key.keyId());
    }
  }

  /** pki-service asks for a new key: make it and request its certificate (once per rotation). */
  @Transactional
  public void rotationRequested(String tenant, ConfigSigningKeyRotationRequested rotation) {
    if (keys.current(tenant).isEmpty()) {
      firstKey(tenant);
      return;
    }
    Instant now = clock.instant();
    SigningKey key = newKey(tenant, false, now);
    if (keys.insert(key, rotation.rotationId())) {
      log.info(
          "tenant {} rotates its config-signing key ({}): new key {}",
          tenant,
          rotation.reason(),
          key.keyId());
      request(key, now);
    }
  }

  private SigningKey firstKey(String tenant) {
    Instant now = clock.instant();
    SigningKey key = newKey(tenant, true, now);
    if (keys.insert(key, null)) {
      request(key, now);
      return key;
    }
    // another transaction made the tenant's first key meanwhile
    return keys.current(tenant).orElseThrow();
  }

  /**
   * A new key pair for the tenant, its private key sealed and its CSR made; {@code current}: it
   * signs at once (a tenant's first key) rather than once certified (a rotation).
   */
  private SigningKey newKey(String tenant, boolean current, Instant now) {
    SigningKeyMaker.NewKey made = SigningKeyMaker.make(tenant);
    return new SigningKey(
        made.keyId(),
        tenant,
        secrets.sealText(tenant, made.privateKeyPkcs8()),
        made.csrPem(),
        current,
        null,
        null,
        null,
        now,
        now);
  }

  private void request(SigningKey key, Instant now) {
    outbox.append(
        Topics.SC_CONFIG_SIGNING,
        EventEnvelope.of(
            "/sc-service/config-signing",
            key.tenant(),
            key.tenant(),
            new ConfigSigningKeyRequested(key.tenant(), key.keyId(), key.csrPem(), now)));
  }
}
