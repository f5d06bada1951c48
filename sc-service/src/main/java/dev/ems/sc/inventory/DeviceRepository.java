package dev.ems.sc.inventory;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface DeviceRepository extends JpaRepository<Device, UUID> {

  Optional<Device> findByIdAndTenant(UUID id, String tenant);

  boolean existsByTenantAndSerialAndStatus(String tenant, String serial, Device.Status status);

  long countBySiteIdAndStatus(UUID siteId, Device.Status status);
}
