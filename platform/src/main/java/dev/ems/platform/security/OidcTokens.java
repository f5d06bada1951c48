package dev.ems.platform.security;

import dev.ems.platform.tenant.Tenants;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * The JWT side of operator sign-in: tokens signed by the issuer's keys (its JWKS, found through its
 * discovery document on first use and refreshed by key id), of an accepted algorithm (an unsigned
 * {@code alg: none} token never is), from that issuer, for the configured audience, and within
 * their lifetime (60 s clock skew).
 */
final class OidcTokens {

  private OidcTokens() {}

  static JwtAuthenticationProvider provider(OidcProperties properties, Tenants tenants) {
    if (properties.audience() == null || properties.audience().isBlank()) {
      throw new IllegalStateException(
          "EMS_OIDC_AUDIENCE is required with EMS_OIDC_ISSUER_URI: without it a token the issuer"
              + " made for any other client would be accepted");
    }
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withIssuerLocation(properties.issuerUri())
            .jwsAlgorithms(
                algorithms ->
                    properties
                        .algorithms()
                        .forEach(a -> algorithms.add(SignatureAlgorithm.from(a))))
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(properties.issuerUri()),
            new JwtClaimValidator<List<String>>(
                JwtClaimNames.AUD,
                audience -> audience != null && audience.contains(properties.audience()))));
    var provider = new JwtAuthenticationProvider(decoder);
    provider.setJwtAuthenticationConverter(new OidcCallers(properties, tenants));
    return provider;
  }

  /** Three base64url parts separated by dots (API keys are {@code ems_…} without dots). */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0
        && token.indexOf('.', first + 1) > first
        && token.chars().filter(c -> c == '.').count() == 2;
  }
}
