package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.TransientFailures;
import dev.ems.platform.outbox.EventTooLargeException;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.tenant.Tenants;
import dev.ems.sc.inventory.DeviceProfile;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.system.ScProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consumer side of a config request: claim it (PROCESSING, one statement), parse the input,
 * render outside any transaction, then store and publish the version and complete the request in
 * one transaction — or fail it with the reason. Idempotent: a request already COMPLETED or FAILED
 * is left alone and the final transaction re-checks under a row lock, so a redelivered record makes
 * no second version; a poison request ends FAILED and is never retried. Only a transient failure
 * (the database away) is thrown back to the listener for a redelivery: any other failure ends the
 * request FAILED with a reason rather than leaving it PROCESSING.
 */
@Service
class ConfigGenerationService {

  private static final Logger log = LoggerFactory.getLogger(ConfigGenerationService.class);

  private final ConfigRequestClaims claims;
  private final Devices devices;
  private final ConfigRenderer renderer;
  private final ConfigPublisher publisher;
  private final JsonMapper json;
  private final TransactionTemplate tx;
  private final Tenants tenants;
  private final Outbox outbox;
  private final ScProperties properties;

  ConfigGenerationService(
      ConfigRequestClaims claims,
      Devices devices,
      ConfigRenderer renderer,
      ConfigPublisher publisher,
      JsonMapper json,
      TransactionTemplate tx,
      Tenants tenants,
      Outbox outbox,
      ScProperties properties) {
    this.outbox = outbox;
    this.properties = properties;
    this.tenants = tenants;
    this.claims = claims;
    this.devices = devices;
    this.renderer = renderer;
    this.publisher = publisher;
    this.json = json;
    this.tx = tx;
  }

  void process(UUID requestId) {
    Optional<ConfigRequestClaims.Claim> claimed = claims.claim(requestId);
    if (claimed.isEmpty()) {
      log.debug("config request {} is unknown or already final; skipping its record", requestId);
      return;
    }
    try {
      generate(requestId, claimed.get());
    } catch (ConfigRenderer.DefinitionMissing e) {
      Duration longest = properties.featureDefinitionWait();
      if (!claims.waitFor(requestId, e.definition(), longest)) {
        claims.fail(
            requestId,
            e.getMessage()
                + " within "
                + longest.toSeconds()
                + " s; it may not exist in tw-service");
      }
    } catch (ConfigRenderer.RenderFailure e) {
      claims.fail(requestId, e.getMessage());
    } catch (EventTooLargeException e) {
      // the version and its event were rolled back together: nothing is COMPLETED undelivered
      claims.fail(requestId, BUNDLE_TOO_LARGE, tooLarge(e));
    } catch (RuntimeException e) {
      // the platform's rule (a broken connection, SQLSTATE 08/57P, too): retried, never FAILED
      if (TransientFailures.isTransient(e)) {
        throw e;
      }
      // retrying cannot help: end the request instead of leaving it PROCESSING for ever. The log
      // names the exceptions and where they arose, never their messages: one may quote a secret
      log.error("config request {} failed while generating: {}", requestId, describe(e));
      claims.fail(
          requestId,
          "generating the configuration failed ("
              + e.getClass().getSimpleName()
              + "); the service log has the details of request "
              + requestId);
    }
  }

  private void generate(UUID requestId, ConfigRequestClaims.Claim claim) {
    DeviceProfile device = devices.profile(claim.tenant(), claim.deviceId());
    if (!device.active()) {
      claims.fail(requestId, "the device is decommissioned");
      return;
    }
    if (!tenants.isActive(claim.tenant())) {
      // accepted before the suspension; nothing new is published for a suspended tenant
      claims.fail(requestId, "the tenant is suspended");
      return;
    }
    Map<String, Object> input =
        json.readValue(claim.input(), new TypeReference<Map<String, Object>>() {});
    ConfigRenderer.Rendering rendering = renderer.render(device, input);
    tx.executeWithoutResult(
        s -> {
          if (!claims.lockProcessing(requestId)) {
            return;
          }
          var published =
              publisher.publish(
                  claim.tenant(),
                  claim.deviceId(),
                  rendering.files(),
                  rendering.shownFiles(),
                  rendering.sha256(),
                  rendering.inputs(),
                  claim.requestedBy(),
                  requestId,
                  null,
                  claim.cause());
          if (!published.created() && featureCaused(claim.cause())) {
            republish(claim, requestId, published, rendering);
          }
          claims.complete(requestId, published.version());
        });
  }

  /** Failure code of a request whose bundle Kafka could not carry. */
  static final String BUNDLE_TOO_LARGE = "bundle-too-large";

  static String tooLarge(EventTooLargeException e) {
    return "the signed bundle's ConfigPublished event would be a Kafka record of "
        + e.bytes()
        + " bytes, more than the record limit of "
        + e.limit()
        + " bytes (the producer's max.request.size); make the configuration smaller";
  }

  private static boolean featureCaused(String cause) {
    return cause != null && cause.startsWith(FeatureRegeneration.KEY_PREFIX);
  }

  /**
   * A feature set that renders the device's current bundle makes no new version, but a tw-service
   * rollout waits for a version caused by its change: the current version is published again (same
   * number, sha256, files and signature) with the feature set's cause. Consumers key on device and
   * version, so the repeat changes nothing else; the request's idempotency key makes a redelivered
   * feature set repeat nothing.
   */
  private void republish(
      ConfigRequestClaims.Claim claim,
      UUID requestId,
      ConfigPublisher.Published published,
      ConfigRenderer.Rendering rendering) {
    outbox.append(
        Topics.SC_CONFIGS,
        EventEnvelope.of(
            "/sc-service/configs",
            claim.tenant(),
            claim.deviceId().toString(),
            new ConfigPublished(
                claim.deviceId(),
                published.version(),
                published.sha256(),
                rendering.files(),
                requestId,
                Instant.now(),
                claim.cause(),
                // the stored version's own signature: the repeat is the same signed bundle
                published.signature())));
  }

  /** The exception chain's classes and their first frames, without messages. */
  static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t != e) {
        out.append(" <- ");
      }
      out.append(t.getClass().getName());
      StackTraceElement[] frames = t.getStackTrace();
      for (int i = 0; i < Math.min(3, frames.length); i++) {
        out.append(i == 0 ? " at " : ", ").append(frames[i]);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return out.toString();
  }

  /** A failure that a later delivery of the same record may not meet: the database is away. */
}
