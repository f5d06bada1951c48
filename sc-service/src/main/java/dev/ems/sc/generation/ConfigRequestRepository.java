package dev.ems.sc.generation;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface ConfigRequestRepository extends JpaRepository<ConfigRequest, UUID> {

  Optional<ConfigRequest> findByIdAndTenant(UUID id, String tenant);

  Optional<ConfigRequest> findByTenantAndDeviceIdAndIdempotencyKey(
      String tenant, UUID deviceId, String idempotencyKey);

  List<ConfigRequest> findTop100ByTenantAndDeviceIdOrderByCreatedAtDesc(
      String tenant, UUID deviceId);

  /** The request, locked, so a redelivered record waits for the first processing to finish. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select r from ConfigRequest r where r.id = :id")
  Optional<ConfigRequest> lockById(UUID id);
}
