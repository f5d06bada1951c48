package dev.ems.sc.tenant;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.TenantChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.PlatformProperties;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.security.Role;
import dev.ems.platform.tenant.Tenants;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.apikey.ApiKeyService;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, suspends and resumes tenants. sc-service is their source: each change is stored and
 * published (outbox, compacted {@link Topics#SC_TENANTS}) in one transaction, and every service
 * refuses a suspended tenant's keys and devices once it has the event.
 */
@Service
class TenantService {

  record Created(Tenants.Tenant tenant, ApiKeyService.IssuedKey adminKey) {}

  private final Tenants tenants;
  private final ApiKeyService keys;
  private final Outbox outbox;
  private final String systemTenant;

  TenantService(Tenants tenants, ApiKeyService keys, Outbox outbox, PlatformProperties properties) {
    this.tenants = tenants;
    this.keys = keys;
    this.outbox = outbox;
    this.systemTenant = properties.bootstrapTenant();
  }

  @Transactional
  Created create(String requestedId, String name) {
    String id = requestedId != null ? requestedId : slug(name);
    if (id.equals(systemTenant) || !id.matches(TenantController.ID)) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, "'" + id + "' is not a tenant id that can be taken", "id");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    var tenant = new Tenants.Tenant(id, name, Tenants.Status.ACTIVE, now, now);
    if (!tenants.insertIfAbsent(tenant)) {
      throw new EmsException(ErrorCode.CONFLICT, "A tenant with the id '" + id + "' exists", "id");
    }
    var adminKey = keys.issue(id, "tenant-admin", Role.ADMIN);
    publish(tenant);
    return new Created(tenant, adminKey);
  }

  @Transactional(readOnly = true)
  List<Tenants.Tenant> list() {
    return tenants.list();
  }

  @Transactional(readOnly = true)
  Tenants.Tenant require(String id) {
    return tenants
        .find(id)
        .orElseThrow(() -> new EmsException(ErrorCode.NOT_FOUND, "No tenant " + id));
  }

  @Transactional
  Tenants.Tenant change(String id, Tenants.Status status) {
    if (id.equals(systemTenant)) {
      throw new EmsException(ErrorCode.CONFLICT, "The system tenant cannot be suspended");
    }
    var current = require(id);
    if (current.status() == status) {
      return current;
    }
    var changed =
        new Tenants.Tenant(
            id,
            current.name(),
            status,
            current.createdAt(),
            Instant.now().truncatedTo(ChronoUnit.MICROS));
    tenants.upsert(changed);
    publish(changed);
    return changed;
  }

  private void publish(Tenants.Tenant t) {
    outbox.append(
        Topics.SC_TENANTS,
        EventEnvelope.of(
            "/sc-service/tenants",
            t.id(),
            t.id(),
            new TenantChanged(t.id(), t.name(), t.status().name(), t.createdAt(), t.changedAt())));
  }

  /** "Acme Networks GmbH" → "acme-networks-gmbh". */
  static String slug(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug =
        ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return slug.length() > 63 ? slug.substring(0, 63).replaceAll("-+$", "") : slug;
  }
}
