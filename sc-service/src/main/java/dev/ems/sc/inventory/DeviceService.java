package dev.ems.sc.inventory;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.inventory.DeviceRequests.CreateDeviceRequest;
import dev.ems.sc.inventory.DeviceRequests.CreatedDeviceResponse;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Adds devices to the inventory and announces them. */
@Service
class DeviceService {

  static final String SOURCE = "/sc-service/devices";

  private final DeviceRepository devices;
  private final Outbox outbox;

  DeviceService(DeviceRepository devices, Outbox outbox) {
    this.devices = devices;
    this.outbox = outbox;
  }

  @Transactional
  CreatedDeviceResponse create(String tenant, CreateDeviceRequest request) {
    if (devices.existsByTenantAndSerial(tenant, request.serial())) {
      throw duplicateSerial(request.serial());
    }
    // the bootstrap token has the same shape and strength as an API key; only its hash is kept
    String token = ApiKeys.generate().replaceFirst("^ems_", "emsbt_");
    Device device =
        new Device(tenant, request.serial(), request.model(), request.name(), ApiKeys.hash(token));
    try {
      devices.saveAndFlush(device);
    } catch (DataIntegrityViolationException e) {
      throw duplicateSerial(request.serial());
    }
    outbox.append(
        Topics.SC_DEVICES,
        EventEnvelope.of(
            SOURCE,
            tenant,
            device.id().toString(),
            new DeviceCreated(
                device.id(), device.serial(), device.model(), device.name(), device.createdAt())));
    return new CreatedDeviceResponse(
        device.id(), device.serial(), device.model(), device.name(), device.createdAt(), token);
  }

  @Transactional(readOnly = true)
  Page<Device> list(String tenant, Pageable pageable) {
    return devices.findByTenant(tenant, pageable);
  }

  private static EmsException duplicateSerial(String serial) {
    return new EmsException(
        ErrorCode.DUPLICATE_SERIAL, "A device with serial " + serial + " already exists", "serial");
  }
}
