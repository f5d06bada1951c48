package dev.ems.platform.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operators signed in with an OpenID Connect identity provider ({@code ems.oidc.*}). Off while
 * {@code issuerUri} is blank. The defaults fit Keycloak: realm roles under {@code
 * realm_access.roles}, the user name in {@code preferred_username}; the tenant comes from a claim
 * the realm adds with a user-attribute mapper ({@code ems_tenant}).
 *
 * @param issuerUri the issuer ({@code EMS_OIDC_ISSUER_URI}); its JWKS is found through {@code
 *     <issuer>/.well-known/openid-configuration} and tokens must name it as {@code iss}
 * @param audience the audience a token must carry in {@code aud} ({@code EMS_OIDC_AUDIENCE});
 *     required when the issuer is set
 * @param tenantClaim the claim holding the operator's tenant id
 * @param rolesClaim the claim holding the roles, a dotted path into nested objects
 * @param rolePrefix the prefix of the roles that mean EMS roles ({@code ems-admin} → ADMIN)
 * @param usernameClaim the claim shown as the operator's name (falls back to {@code sub})
 * @param algorithms the signature algorithms accepted (never {@code none})
 */
@ConfigurationProperties("ems.oidc")
public record OidcProperties(
    String issuerUri,
    String audience,
    String tenantClaim,
    String rolesClaim,
    String rolePrefix,
    String usernameClaim,
    List<String> algorithms) {

  public OidcProperties {
    tenantClaim = blank(tenantClaim) ? "ems_tenant" : tenantClaim;
    rolesClaim = blank(rolesClaim) ? "realm_access.roles" : rolesClaim;
    rolePrefix = rolePrefix == null ? "ems-" : rolePrefix;
    usernameClaim = blank(usernameClaim) ? "preferred_username" : usernameClaim;
    algorithms =
        algorithms == null || algorithms.isEmpty() ? List.of("RS256", "ES256") : algorithms;
  }

  public boolean enabled() {
    return !blank(issuerUri);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
