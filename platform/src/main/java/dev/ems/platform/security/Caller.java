package dev.ems.platform.security;

import java.util.UUID;

/**
 * The authenticated operator behind a request: the API key (or, signed in through OIDC, the token's
 * {@code subject} with a stable id derived from issuer and subject and the user name as {@code
 * keyName}), its tenant and its role. Controllers take it as a parameter; every query they make is
 * scoped to {@link #tenant()}.
 */
public record Caller(UUID keyId, String keyName, String tenant, Role role, String subject) {

  /** An API key's caller. */
  public Caller(UUID keyId, String keyName, String tenant, Role role) {
    this(keyId, keyName, tenant, role, null);
  }
}
