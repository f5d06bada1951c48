package dev.ems.sc.generation;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.outbox.EventTooLargeException;
import dev.ems.platform.web.EmsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Rollback = the files of an earlier version published again as a new version. */
@Service
class RollbackService {

  private final ConfigPublisher publisher;
  private final ConfigVersions versions;

  RollbackService(ConfigPublisher publisher, ConfigVersions versions) {
    this.publisher = publisher;
    this.versions = versions;
  }

  @Transactional
  ConfigPublisher.Published rollback(
      String tenant, UUID deviceId, ConfigVersions.ConfigVersion target, String requestedBy) {
    Map<String, Object> inputs = new LinkedHashMap<>(target.inputs());
    inputs.put("rollbackOf", target.version());
    try {
      return publish(tenant, deviceId, target, requestedBy, inputs);
    } catch (EventTooLargeException e) {
      // a version stored before Kafka's limit was lowered: refused, never published undelivered
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, ConfigGenerationService.tooLarge(e), "version");
    }
  }

  private ConfigPublisher.Published publish(
      String tenant,
      UUID deviceId,
      ConfigVersions.ConfigVersion target,
      String requestedBy,
      Map<String, Object> inputs) {
    return publisher.publish(
        tenant,
        deviceId,
        versions.deviceFiles(target),
        target.files(),
        target.sha256(),
        inputs,
        requestedBy,
        null,
        target.version(),
        "rollback:" + target.version());
  }
}
