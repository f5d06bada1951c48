package dev.ems.platform.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An operator API key: presented (the key, not yet checked) or authenticated (the {@link Caller},
 * with its role as the authority {@code ROLE_<role>}). The key itself is never kept after the
 * check, so it cannot reach a log through the security context.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

  private final transient String presentedKey;
  private final Caller caller;

  private ApiKeyAuthentication(String presentedKey) {
    super(List.of());
    this.presentedKey = presentedKey;
    this.caller = null;
  }

  private ApiKeyAuthentication(Caller caller) {
    super(List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
    this.presentedKey = null;
    this.caller = caller;
    setAuthenticated(true);
  }

  static ApiKeyAuthentication presented(String key) {
    return new ApiKeyAuthentication(key);
  }

  static ApiKeyAuthentication of(Caller caller) {
    return new ApiKeyAuthentication(caller);
  }

  String presentedKey() {
    return presentedKey;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller == null ? "api-key" : caller.keyName();
  }
}
