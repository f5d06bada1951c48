package dev.ems.sc.inventory;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.Preconditions;
import dev.ems.sc.inventory.DeviceRequests.CreateDeviceRequest;
import dev.ems.sc.inventory.DeviceRequests.CreatedDeviceResponse;
import dev.ems.sc.inventory.DeviceRequests.TokenResponse;
import dev.ems.sc.inventory.DeviceRequests.UpdateDeviceRequest;
import dev.ems.sc.secrets.Secrets;
import dev.ems.sc.system.ScProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The inventory's rules: unique serials in service, tokens, RMA, decommissioning. */
@Service
class DeviceService {

  private final DeviceRepository devices;
  private final SiteRepository sites;
  private final Devices lookup;
  private final DeviceEvents events;
  private final JsonMapper json;
  private final ScProperties properties;
  private final Secrets secrets;

  DeviceService(
      DeviceRepository devices,
      SiteRepository sites,
      Devices lookup,
      DeviceEvents events,
      JsonMapper json,
      ScProperties properties,
      Secrets secrets) {
    this.devices = devices;
    this.sites = sites;
    this.lookup = lookup;
    this.events = events;
    this.json = json;
    this.properties = properties;
    this.secrets = secrets;
  }

  @Transactional
  CreatedDeviceResponse create(String tenant, CreateDeviceRequest request) {
    requireFreeSerial(tenant, request.serial());
    requireSite(tenant, request.siteId());
    String token = newToken();
    Device device =
        new Device(tenant, request.serial(), request.model(), request.name(), ApiKeys.hash(token));
    device.update(
        request.model(),
        request.name(),
        request.siteId(),
        request.tags() == null ? List.of() : request.tags(),
        variables(tenant, request.variables() == null ? Map.of() : request.variables(), "{}"));
    save(device);
    events.created(device);
    events.updated(device);
    Instant expires = device.tokenIssuedAt().plus(properties.bootstrapTokenTtl());
    events.tokenIssued(device, ApiKeys.hash(token), expires);
    return new CreatedDeviceResponse(
        device.id(),
        device.serial(),
        device.model(),
        device.name(),
        device.siteId(),
        device.tags(),
        device.createdAt(),
        token,
        expires);
  }

  @Transactional
  Device update(String tenant, UUID id, String ifMatch, UpdateDeviceRequest request) {
    Device device = lookup.requireActive(tenant, id);
    Preconditions.checkIfMatch(ifMatch, device.rowVersion());
    requireSite(tenant, request.siteId());
    device.update(
        request.model(),
        request.name(),
        request.siteId(),
        request.tags(),
        variables(tenant, request.variables(), device.variablesJson()));
    devices.saveAndFlush(device);
    events.updated(device);
    return device;
  }

  /** A new single-use bootstrap token; the previous one stops working. */
  @Transactional
  TokenResponse reissueToken(String tenant, UUID id) {
    Device device = lookup.requireActive(tenant, id);
    String token = newToken();
    device.reissueToken(ApiKeys.hash(token));
    devices.saveAndFlush(device);
    Instant expires = device.tokenIssuedAt().plus(properties.bootstrapTokenTtl());
    events.tokenIssued(device, ApiKeys.hash(token), expires);
    return new TokenResponse(device.id(), device.serial(), token, expires);
  }

  /** RMA: new hardware takes over the device (site, variables, configs) under a new serial. */
  @Transactional
  TokenResponse replace(String tenant, UUID id, String ifMatch, String newSerial) {
    Device device = lookup.requireActive(tenant, id);
    Preconditions.checkIfMatch(ifMatch, device.rowVersion());
    if (!newSerial.equals(device.serial())) {
      requireFreeSerial(tenant, newSerial);
    }
    String token = newToken();
    device.replaceHardware(newSerial, ApiKeys.hash(token));
    save(device);
    events.updated(device);
    Instant expires = device.tokenIssuedAt().plus(properties.bootstrapTokenTtl());
    events.tokenIssued(device, ApiKeys.hash(token), expires);
    return new TokenResponse(device.id(), device.serial(), token, expires);
  }

  @Transactional
  void decommission(String tenant, UUID id, String ifMatch) {
    Device device = lookup.require(tenant, id);
    if (!device.isActive()) {
      return;
    }
    Preconditions.checkIfMatch(ifMatch, device.rowVersion());
    device.decommission();
    devices.saveAndFlush(device);
    events.decommissioned(device);
  }

  /** The stored form of written variables; secrets written back masked keep their stored value. */
  private String variables(String tenant, Map<String, Object> written, String storedJson) {
    Map<String, Object> stored =
        json.readValue(storedJson, new TypeReference<Map<String, Object>>() {});
    return json.writeValueAsString(secrets.seal(tenant, written, stored));
  }

  private void save(Device device) {
    try {
      devices.saveAndFlush(device);
    } catch (DataIntegrityViolationException e) {
      throw duplicateSerial(device.serial());
    }
  }

  private void requireFreeSerial(String tenant, String serial) {
    if (devices.existsByTenantAndSerialAndStatus(tenant, serial, Device.Status.ACTIVE)) {
      throw duplicateSerial(serial);
    }
  }

  private void requireSite(String tenant, UUID siteId) {
    if (siteId != null && sites.findByIdAndTenant(siteId, tenant).isEmpty()) {
      throw new EmsException(ErrorCode.SITE_NOT_FOUND, "No site " + siteId, "siteId");
    }
  }

  private static String newToken() {
    // same shape and strength as an API key; only its hash is kept
    return ApiKeys.generate().replaceFirst("^ems_", "emsbt_");
  }

  private static EmsException duplicateSerial(String serial) {
    return new EmsException(
        ErrorCode.DUPLICATE_SERIAL, "A device with serial " + serial + " already exists", "serial");
  }
}
