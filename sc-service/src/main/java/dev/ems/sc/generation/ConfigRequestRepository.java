package dev.ems.sc.generation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ConfigRequestRepository extends JpaRepository<ConfigRequest, UUID> {

  Optional<ConfigRequest> findByIdAndTenant(UUID id, String tenant);

  Optional<ConfigRequest> findByTenantAndDeviceIdAndIdempotencyKey(
      String tenant, UUID deviceId, String idempotencyKey);

  List<ConfigRequest> findTop100ByTenantAndDeviceIdOrderByCreatedAtDesc(
      String tenant, UUID deviceId);
}
