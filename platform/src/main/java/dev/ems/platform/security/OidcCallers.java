package dev.ems.platform.security;

import dev.ems.platform.tenant.Tenants;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns a verified access token into a {@link Caller}: the tenant from {@code tenantClaim}, the
 * highest EMS role found under {@code rolesClaim} ({@code <prefix>viewer|operator|admin}, any
 * case), the user name from {@code usernameClaim}, and a stable id from issuer and subject (so an
 * author check such as a change set's four eyes tells people apart). A token without a tenant or
 * without an EMS role, or of a suspended tenant, is refused.
 */
final class OidcCallers implements Converter<Jwt, AbstractAuthenticationToken> {

  private final OidcProperties properties;
  private final Tenants tenants;

  OidcCallers(OidcProperties properties, Tenants tenants) {
    this.properties = properties;
    this.tenants = tenants;
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    String tenant = jwt.getClaimAsString(properties.tenantClaim());
    if (tenant == null || tenant.isBlank()) {
      throw new BadCredentialsException("The token names no tenant");
    }
    Role role = role(claim(jwt.getClaims(), properties.rolesClaim()));
    if (role == null) {
      throw new BadCredentialsException("The token grants no EMS role");
    }
    if (!tenants.isActive(tenant)) {
      throw new DisabledException("The tenant is suspended");
    }
    String subject = jwt.getSubject();
    String name = jwt.getClaimAsString(properties.usernameClaim());
    UUID id =
        UUID.nameUUIDFromBytes(
            ("oidc:" + jwt.getIssuer() + "#" + subject).getBytes(StandardCharsets.UTF_8));
    var caller = new Caller(id, name == null ? subject : name, tenant, role, subject);
    return new OperatorAuthentication(
        caller, List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
  }

  private Role role(Object claim) {
    if (!(claim instanceof Collection<?> values)) {
      return null;
    }
    Role best = null;
    for (Object value : values) {
      String s = String.valueOf(value);
      if (!s.regionMatches(true, 0, properties.rolePrefix(), 0, properties.rolePrefix().length())) {
        continue;
      }
      String rest = s.substring(properties.rolePrefix().length());
      for (Role r : Role.values()) {
        if (r.name().equalsIgnoreCase(rest) && (best == null || r.ordinal() > best.ordinal())) {
          best = r;
        }
      }
    }
    return best;
  }

  private static Object claim(Map<String, Object> claims, String path) {
    Object current = claims;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }

  /** An operator authenticated by an access token; the token itself is not kept. */
  static final class OperatorAuthentication extends AbstractAuthenticationToken {
    private final Caller caller;

    OperatorAuthentication(Caller caller, List<SimpleGrantedAuthority> authorities) {
      super(authorities);
      this.caller = caller;
      setAuthenticated(true);
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
      return caller.keyName();
    }
  }
}
