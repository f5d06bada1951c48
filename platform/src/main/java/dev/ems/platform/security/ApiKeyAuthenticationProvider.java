package dev.ems.platform.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Checks a presented API key against the service's copy of the keys (hashes only). */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

  private final ApiKeys keys;

  ApiKeyAuthenticationProvider(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String key = ((ApiKeyAuthentication) authentication).presentedKey();
    return keys.authenticate(key)
        .map(ApiKeyAuthentication::of)
        .orElseThrow(() -> new BadCredentialsException("The API key is unknown or revoked"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return ApiKeyAuthentication.class.isAssignableFrom(authentication);
  }
}
