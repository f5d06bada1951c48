package dev.ems.platform.security;

import java.util.UUID;

/**
 * The authenticated operator behind a request: the API key, its tenant and its role. Controllers
 * take it as a parameter; every query they make is scoped to {@link #tenant()}.
 */
public record Caller(UUID keyId, String keyName, String tenant, Role role) {}
