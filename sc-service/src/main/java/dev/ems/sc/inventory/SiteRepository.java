package dev.ems.sc.inventory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface SiteRepository extends JpaRepository<Site, UUID> {

  Optional<Site> findByIdAndTenant(UUID id, String tenant);

  boolean existsByTenantAndName(String tenant, String name);

  List<Site> findByTenantOrderByName(String tenant);
}
