package dev.ems.platform.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
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
    java.util.Optional<Caller> caller;
    try {
      caller = keys.authenticate(key);
    } catch (RuntimeException e) {
      // the key could not be looked up (the pool exhausted, the database away): neither known nor
      // unknown; SecurityProblems answers 503 for a lack of capacity, never 401 nor a bare 500
      throw new InternalAuthenticationServiceException("The API key could not be looked up", e);
    }
    return caller
        .map(ApiKeyAuthentication::of)
        .orElseThrow(() -> new BadCredentialsException("The API key is unknown or revoked"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return ApiKeyAuthentication.class.isAssignableFrom(authentication);
  }
}
