package dev.ems.diagnostic.check;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.DeviceCommandRequested;
import dev.ems.common.event.Topics;
import dev.ems.diagnostic.check.Checks.Check;
import dev.ems.diagnostic.health.DeviceStates;
import dev.ems.diagnostic.system.DiagnosticProperties;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.web.EmsException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Requests checks: stored PENDING and handed to device-api as {@link DeviceCommandRequested} in the
 * same transaction. device-api keeps the command until {@code expiresAt}, so a check for an offline
 * device waits for it to come back (or times out).
 */
@Service
class CheckService {

  private final Checks checks;
  private final DeviceStates devices;
  private final Outbox outbox;
  private final Clock clock;
  private final DiagnosticProperties properties;

  CheckService(
      Checks checks,
      DeviceStates devices,
      Outbox outbox,
      Clock clock,
      DiagnosticProperties properties) {
    this.checks = checks;
    this.devices = devices;
    this.outbox = outbox;
    this.clock = clock;
    this.properties = properties;
  }

  @Transactional
  Check request(
      String tenant,
      String requestedBy,
      UUID deviceId,
      String type,
      Map<String, String> parameters) {
    devices
        .find(tenant, deviceId)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, deviceId));
    Instant now = clock.instant();
    var check =
        new Check(
            UUID.randomUUID(),
            deviceId,
            type,
            parameters,
            "PENDING",
            null,
            requestedBy,
            now,
            now.plus(properties.checkTimeout()),
            null);
    checks.insert(tenant, check);
    var command =
        new DeviceCommandRequested(check.id(), deviceId, type, parameters, check.expiresAt());
    outbox.append(
        Topics.DIAG_COMMANDS,
        EventEnvelope.of("/diagnostic-service", tenant, deviceId.toString(), command));
    return check;
  }

  /** The device's checks, newest first; a device this tenant does not have is a 404. */
  List<Check> list(String tenant, UUID deviceId, int page, int size) {
    devices
        .find(tenant, deviceId)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.DEVICE_NOT_FOUND, deviceId));
    return checks.list(tenant, deviceId, page, size);
  }
}
