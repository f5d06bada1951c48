package dev.ems.platform.security;

/** What an API key may do: viewers read, operators change, admins also manage API keys. */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  public boolean covers(Role required) {
    return ordinal() >= required.ordinal();
  }
}
