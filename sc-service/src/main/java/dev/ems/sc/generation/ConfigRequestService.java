package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.inventory.DeviceProfile;
import dev.ems.sc.inventory.Devices;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.template.Templates;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts config requests: validate (the variables against the template set's schema too), store as
 * QUEUED and queue them, in one transaction.
 */
@Service
class ConfigRequestService {

  private final ConfigRequestRepository requests;
  private final Devices devices;
  private final Outbox outbox;
  private final JsonMapper json;
  private final TransactionTemplate tx;
  private final ConfigRenderer renderer;
  private final JdbcClient jdbc;
  private final Secrets secrets;
  private final Templates templates;

  ConfigRequestService(
      ConfigRequestRepository requests,
      Devices devices,
      Outbox outbox,
      JsonMapper json,
      TransactionTemplate tx,
      ConfigRenderer renderer,
      JdbcClient jdbc,
      Secrets secrets,
      Templates templates) {
    this.secrets = secrets;
    this.templates = templates;
    this.renderer = renderer;
    this.jdbc = jdbc;
    this.requests = requests;
    this.devices = devices;
    this.outbox = outbox;
    this.json = json;
    this.tx = tx;
  }

  /**
   * Queues a request; with an idempotency key a retried submission returns the request the first
   * one created, even when both race. Secret variables are stored sealed.
   */
  ConfigRequest submit(
      String tenant,
      UUID deviceId,
      Map<String, Object> written,
      String idempotencyKey,
      String requestedBy) {
    devices.checkActive(tenant, deviceId);
    templates.checkVariables(tenant, modelOf(tenant, deviceId), written);
    Map<String, Object> variables = secrets.seal(tenant, written, Map.of());
    if (idempotencyKey != null) {
      Optional<ConfigRequest> existing =
          requests.findByTenantAndDeviceIdAndIdempotencyKey(tenant, deviceId, idempotencyKey);
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    try {
      return tx.execute(s -> create(tenant, deviceId, variables, idempotencyKey, requestedBy));
    } catch (DataIntegrityViolationException e) {
      if (idempotencyKey == null) {
        throw e;
      }
      return requests
          .findByTenantAndDeviceIdAndIdempotencyKey(tenant, deviceId, idempotencyKey)
          .orElseThrow(() -> e);
    }
  }

  private ConfigRequest create(
      String tenant,
      UUID deviceId,
      Map<String, Object> variables,
      String idempotencyKey,
      String requestedBy) {
    var request =
        new ConfigRequest(
            tenant, deviceId, json.writeValueAsString(variables), idempotencyKey, requestedBy);
    // plain SQL: the entity would cost a merge and a flush on the hottest write path
    jdbc.sql(
            "insert into config_request (id, tenant_id, device_id, status, variables,"
                + " idempotency_key, requested_by, created_at, updated_at)"
                + " values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)")
        .params(
            request.id(),
            tenant,
            deviceId,
            request.status().name(),
            request.variablesJson(),
            idempotencyKey,
            requestedBy,
            Timestamp.from(request.createdAt()),
            Timestamp.from(request.updatedAt()))
        .update();
    outbox.append(
        Topics.SC_CONFIG_REQUESTS,
        EventEnvelope.of(
            "/sc-service/config-requests",
            tenant,
            deviceId.toString(),
            new ConfigRequested(request.id(), deviceId)));
    return request;
  }

  /** Renders with the given input and returns the bundle without storing or publishing it. */
  ConfigRenderer.Rendering dryRun(String tenant, UUID deviceId, Map<String, Object> written) {
    DeviceProfile device = DeviceProfile.of(devices.requireActive(tenant, deviceId));
    templates.checkVariables(tenant, device.model(), written);
    Map<String, Object> variables = secrets.seal(tenant, written, Map.of());
    try {
      return renderer.render(device, variables);
    } catch (ConfigRenderer.RenderFailure e) {
      throw e.toProblem();
    } catch (ConfigRenderer.DefinitionMissing e) {
      throw e.toProblem();
    }
  }

  private String modelOf(String tenant, UUID deviceId) {
    return jdbc.sql("select model from device where id = ? and tenant_id = ?")
        .params(deviceId, tenant)
        .query(String.class)
        .single();
  }

  @Transactional(readOnly = true)
  ConfigRequest get(String tenant, UUID id) {
    return requests
        .findByIdAndTenant(id, tenant)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.CONFIG_REQUEST_NOT_FOUND, id));
  }

  @Transactional(readOnly = true)
  List<ConfigRequest> listForDevice(String tenant, UUID deviceId) {
    devices.require(tenant, deviceId);
    return requests.findTop100ByTenantAndDeviceIdOrderByCreatedAtDesc(tenant, deviceId);
  }
}
