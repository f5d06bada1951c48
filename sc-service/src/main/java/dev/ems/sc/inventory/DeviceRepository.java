package dev.ems.sc.inventory;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface DeviceRepository extends JpaRepository<Device, UUID> {

  // a string query: a derived query builds its criteria tree on every call, which was the costliest
  // part of accepting a config request
  @Query("select d from Device d where d.id = :id and d.tenant = :tenant")
  Optional<Device> findByIdAndTenant(UUID id, String tenant);

  boolean existsByTenantAndSerialAndStatus(String tenant, String serial, Device.Status status);

  long countBySiteIdAndStatus(UUID siteId, Device.Status status);

  @Query(
      "select d from Device d where d.status = :status and d.tokenIssuedAt > :after"
          + " order by d.tokenIssuedAt")
  java.util.List<Device> withTokensIssuedAfter(Device.Status status, java.time.Instant after);
}
