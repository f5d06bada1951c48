package dev.ems.sc.inventory;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface DeviceRepository extends JpaRepository<Device, UUID> {

  Optional<Device> findByIdAndTenant(UUID id, String tenant);

  boolean existsByTenantAndSerial(String tenant, String serial);

  Page<Device> findByTenant(String tenant, Pageable pageable);
}
