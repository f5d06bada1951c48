package dev.ems.sc.generation;

import dev.ems.sc.inventory.Device;
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
 * The consumer side of a config request: claim it (PROCESSING), parse the input, render outside any
 * transaction, then store and publish the version and complete the request — or fail it with the
 * reason. Idempotent: a request already COMPLETED or FAILED is left alone, so a redelivered record
 * makes no second version; a poison request ends FAILED and is never retried.
 */
@Service
class ConfigGenerationService {

  private static final Logger log = LoggerFactory.getLogger(ConfigGenerationService.class);

  private final ConfigRequestRepository requests;
  private final Devices devices;
  private final ConfigRenderer renderer;
  private final ConfigPublisher publisher;
  private final JsonMapper json;
  private final TransactionTemplate tx;

  ConfigGenerationService(
      ConfigRequestRepository requests,
      Devices devices,
      ConfigRenderer renderer,
      ConfigPublisher publisher,
      JsonMapper json,
      TransactionTemplate tx) {
    this.requests = requests;
    this.devices = devices;
    this.renderer = renderer;
    this.publisher = publisher;
    this.json = json;
    this.tx = tx;
  }

  private record Claim(String tenant, UUID deviceId, String input, String requestedBy) {}

  void process(UUID requestId) {
    Claim claim = tx.execute(s -> claim(requestId));
    if (claim == null) {
      return;
    }
    Device device = devices.require(claim.tenant(), claim.deviceId());
    if (!device.isActive()) {
      finish(requestId, r -> r.failed("the device is decommissioned"));
      return;
    }
    ConfigRenderer.Rendering rendering;
    try {
      Map<String, Object> input =
          json.readValue(claim.input(), new TypeReference<Map<String, Object>>() {});
      rendering = renderer.render(device, input);
    } catch (ConfigRenderer.RenderFailure e) {
      finish(requestId, r -> r.failed(e.getMessage()));
      return;
    }
    finish(
        requestId,
        r -> {
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
          r.completed(published.version());
        });
  }

  private Claim claim(UUID requestId) {
    Optional<ConfigRequest> found = requests.lockById(requestId);
    if (found.isEmpty()) {
      log.warn("config request {} does not exist; ignoring its queue record", requestId);
      return null;
    }
    ConfigRequest request = found.get();
    if (request.status().isFinal()) {
      return null;
    }
    request.processing();
    return new Claim(
        request.tenant(), request.deviceId(), request.variablesJson(), request.requestedBy());
  }

  private void finish(UUID requestId, java.util.function.Consumer<ConfigRequest> change) {
    tx.executeWithoutResult(
        s -> requests.lockById(requestId).filter(r -> !r.status().isFinal()).ifPresent(change));
  }
}
