package dev.ems.common.event;

import java.time.Instant;

/**
 * A tenant was created, suspended or resumed (SC, compacted topic {@link Topics#SC_TENANTS}, key =
 * tenant id). Every service keeps its own copy: a suspended tenant's keys and devices are refused
 * everywhere. {@code status} is {@code ACTIVE} or {@code SUSPENDED}.
 */
public record TenantChanged(
    String tenantId, String name, String status, Instant createdAt, Instant changedAt) {}
