package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import dev.ems.sc.signing.ConfigSigner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a rendered bundle as the device's next version and publishes it — unless it is identical
 * to the current version, which then stays current. Version numbers of one device are handed out
 * under a lock on the device row. {@code ConfigPublished} carries the device's files in clear: it
 * is what device-api serves the device (secrets included); operators read the shown copy. Its
 * {@code cause} names what made the version (see {@link ConfigPublished}). Every new version is
 * signed by the tenant's config-signing key over the device's files ({@link ConfigSigner}).
 */
@Component
class ConfigPublisher {

  /** The device's current version after publishing (with its signature), and whether it is new. */
  record Published(int version, String sha256, boolean created, String signature) {}

  private final ConfigVersions versions;
  private final Outbox outbox;
  private final JdbcClient jdbc;
  private final ConfigSigner signer;

  ConfigPublisher(ConfigVersions versions, Outbox outbox, JdbcClient jdbc, ConfigSigner signer) {
    this.versions = versions;
    this.outbox = outbox;
    this.jdbc = jdbc;
    this.signer = signer;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  Published publish(
      String tenant,
      UUID deviceId,
      List<ConfigFile> files,
      List<ConfigFile> shownFiles,
      String sha256,
      Map<String, Object> inputs,
      String requestedBy,
      UUID requestId,
      Integer rollbackOf,
      String cause) {
    jdbc.sql("select id from device where id = ? for update").param(deviceId).query().listOfRows();
    Optional<ConfigVersions.Head> latest = versions.latestHead(deviceId);
    if (latest.isPresent() && latest.get().sha256().equals(sha256)) {
      return new Published(latest.get().version(), sha256, false, latest.get().signature());
    }
    int version = latest.map(v -> v.version() + 1).orElse(1);
    String signature = signer.sign(tenant, files);
    versions.insert(
        tenant,
        deviceId,
        version,
        sha256,
        files,
        shownFiles,
        inputs,
        requestedBy,
        requestId,
        rollbackOf,
        signature);
    outbox.append(
        Topics.SC_CONFIGS,
        EventEnvelope.of(
            "/sc-service/configs",
            tenant,
            deviceId.toString(),
            new ConfigPublished(
                deviceId, version, sha256, files, requestId, Instant.now(), cause, signature)));
    return new Published(version, sha256, true, signature);
  }
}
