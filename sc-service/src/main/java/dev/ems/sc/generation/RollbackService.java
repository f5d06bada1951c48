package dev.ems.sc.generation;

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
