package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import dev.ems.sc.inventory.Device;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.system.ScProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
 * The consumer side of a config request: parse the input, render the templates, store a new version
 * and publish it — or fail the request with the reason. Idempotent: a request that is already
 * COMPLETED or FAILED is left alone, so a redelivered record makes no second version.
 */
@Service
class ConfigGenerationService {

  private static final Logger log = LoggerFactory.getLogger(ConfigGenerationService.class);

  private final ConfigRequestRepository requests;
  private final ConfigVersions versions;
  private final Devices devices;
  private final TemplateRenderer renderer;
  private final Outbox outbox;
  private final JsonMapper json;
  private final TransactionTemplate tx;
  private final ScProperties properties;

  ConfigGenerationService(
      ConfigRequestRepository requests,
      ConfigVersions versions,
      Devices devices,
      TemplateRenderer renderer,
      Outbox outbox,
      JsonMapper json,
      TransactionTemplate tx,
      ScProperties properties) {
    this.requests = requests;
    this.versions = versions;
    this.devices = devices;
    this.renderer = renderer;
    this.outbox = outbox;
    this.json = json;
    this.tx = tx;
    this.properties = properties;
  }

  void process(UUID requestId) {
    tx.executeWithoutResult(s -> generate(requestId));
  }

  private void generate(UUID requestId) {
    Optional<ConfigRequest> found = requests.lockById(requestId);
    if (found.isEmpty()) {
      log.warn("config request {} does not exist; ignoring its queue record", requestId);
      return;
    }
    ConfigRequest request = found.get();
    if (request.status().isFinal()) {
      return;
    }
    request.processing();
    Device device = devices.require(request.tenant(), request.deviceId());
    List<ConfigFile> files;
    try {
      files = ConfigBundles.canonical(renderer.render(context(device, request)));
      checkSize(files);
    } catch (TemplateRenderer.RenderException | IllegalArgumentException e) {
      request.failed(e.getMessage());
      return;
    }
    String sha256 = ConfigBundles.sha256(files);
    Optional<ConfigVersions.ConfigVersion> latest = versions.latest(device.id());
    if (latest.isPresent() && latest.get().sha256().equals(sha256)) {
      request.completed(latest.get().version());
      return;
    }
    int version = latest.map(v -> v.version() + 1).orElse(1);
    versions.insert(request.tenant(), device.id(), version, sha256, files, request.id());
    request.completed(version);
    outbox.append(
        Topics.SC_CONFIGS,
        EventEnvelope.of(
            "/sc-service/configs",
            request.tenant(),
            device.id().toString(),
            new ConfigPublished(device.id(), version, sha256, files, request.id(), Instant.now())));
  }

  private Map<String, Object> context(Device device, ConfigRequest request) {
    Map<String, Object> input =
        json.readValue(request.variablesJson(), new TypeReference<Map<String, Object>>() {});
    Map<String, Object> context = new HashMap<>(input);
    context.put(
        "device",
        Map.of(
            "id", device.id().toString(),
            "serial", device.serial(),
            "model", device.model(),
            "name", device.name()));
    return context;
  }

  private void checkSize(List<ConfigFile> files) {
    long bytes = 0;
    for (ConfigFile file : files) {
      bytes += file.content().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes == 0) {
      throw new IllegalArgumentException("the templates rendered an empty configuration");
    }
    if (bytes > properties.maxRenderedBytes()) {
      throw new IllegalArgumentException(
          "the rendered configuration has "
              + bytes
              + " bytes, more than the limit of "
              + properties.maxRenderedBytes());
    }
  }
}
