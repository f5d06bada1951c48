package dev.ems.sc.generation;

import dev.ems.sc.inventory.DeviceProfile;
import dev.ems.sc.inventory.Devices;
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
 * no second version; a poison request ends FAILED and is never retried.
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

  ConfigGenerationService(
      ConfigRequestClaims claims,
      Devices devices,
      ConfigRenderer renderer,
      ConfigPublisher publisher,
      JsonMapper json,
      TransactionTemplate tx) {
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
    ConfigRequestClaims.Claim claim = claimed.get();
    DeviceProfile device = devices.profile(claim.tenant(), claim.deviceId());
    if (!device.active()) {
      claims.fail(requestId, "the device is decommissioned");
      return;
    }
    ConfigRenderer.Rendering rendering;
    try {
      Map<String, Object> input =
          json.readValue(claim.input(), new TypeReference<Map<String, Object>>() {});
      rendering = renderer.render(device, input);
    } catch (ConfigRenderer.RenderFailure e) {
      claims.fail(requestId, e.getMessage());
      return;
    }
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
                  rendering.sha256(),
                  rendering.inputs(),
                  claim.requestedBy(),
                  requestId,
                  null);
          claims.complete(requestId, published.version());
        });
  }
}
