package dev.ems.platform.security;

import dev.ems.platform.PlatformProperties;
import dev.ems.platform.kafka.EventReader;
import dev.ems.platform.metrics.ScrapeToken;
import dev.ems.platform.tenant.Tenants;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operator authentication and authorization on Spring Security: API keys (hashed) through an
 * authentication provider, roles as authorities ({@code ADMIN > OPERATOR > VIEWER}), the rule of
 * each endpoint declared beside it ({@link RequiresRole}) and read from the handler the request is
 * dispatched to ({@link HandlerAccessRules}), deny by default, the strict firewall in front.
 * Actuator: liveness, readiness and info are public, everything else needs ADMIN; {@code
 * /actuator/prometheus} also takes the scrape token ({@link ScrapeToken}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(OidcProperties.class)
public class SecurityConfiguration {

  static final String[] PUBLIC_ACTUATOR = {
    "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info"
  };

  /**
   * The API's description (OpenAPI, Swagger UI) is public: it is the committed
   * docs/api/openapi.yaml, holds no tenant's data, and a browser cannot add an API key to Swagger
   * UI's own requests. Switched off with springdoc's settings (README "API documentation").
   */
  static final String[] PUBLIC_API_DOCS = {
    "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**"
  };

  @Bean
  ApiKeys apiKeys(JdbcClient jdbc, Tenants tenants) {
    return new ApiKeys(jdbc, tenants);
  }

  @Bean
  ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
    return new ApiKeyAuthenticationProvider(keys);
  }

  @Bean
  static RoleHierarchy roleHierarchy() {
    return RoleHierarchyImpl.fromHierarchy(
        "ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_VIEWER");
  }

  /**
   * No observation (span, timer) per security filter and per authorization decision: Spring
   * Security's own observations were a tenth of sc-service's CPU on the config-request path
   * (ConfigPipelineBenchmark under JFR, issue 20), and told ops nothing that the request's own
   * observation ({@code http.server.requests}, its span and trace id) does not.
   */
  @Bean
  static SecurityObservationSettings noSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  SecurityProblems securityProblems(JsonMapper json) {
    return new SecurityProblems(json);
  }

  @Bean
  SecurityFilterChain operatorSecurity(
      HttpSecurity http,
      ApiKeyAuthenticationProvider provider,
      OidcProperties oidc,
      Tenants tenants,
      SecurityProblems problems,
      RoleHierarchy hierarchy,
      ApplicationContext context,
      PlatformProperties properties,
      ScrapeToken scrapeToken)
      throws Exception {
    // API keys, and beside them (when EMS_OIDC_ISSUER_URI is set) an identity provider's JWTs
    ProviderManager providers =
        oidc.enabled()
            ? new ProviderManager(provider, OidcTokens.provider(oidc, tenants))
            : new ProviderManager(provider);
    var keyFilter =
        new AuthenticationFilter(providers, request -> credential(request, oidc.enabled()));
    // service-to-service endpoints carry their own credential (pki-service's InternalKeyFilter),
    // never an operator key
    RequestMatcher internal = PathPatternRequestMatcher.withDefaults().matcher("/internal/**");
    // nor the scraper, whose token ScrapeTokenFilter already took
    keyFilter.setRequestMatcher(
        request -> !internal.matches(request) && !ScrapeTokenFilter.scraping(request));
    keyFilter.setSuccessHandler((request, response, authentication) -> {});
    keyFilter.setFailureHandler(problems);
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new ScrapeTokenFilter(scrapeToken), BasicAuthenticationFilter.class)
        .addFilterBefore(keyFilter, AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            rules ->
                rules
                    .dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers(PUBLIC_ACTUATOR)
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, PUBLIC_API_DOCS)
                    .permitAll()
                    // the scrape: the system tenant's admins or the scrape token
                    .requestMatchers(ScrapeToken.PATH)
                    .access(
                        (authentication, request) ->
                            new AuthorizationDecision(
                                authentication.get() instanceof ScrapeTokenFilter.Scraper
                                    || systemAdmin(authentication.get(), properties)))
                    // suite-wide figures: the system tenant's admins only
                    .requestMatchers("/actuator", "/actuator/**")
                    .access(
                        (authentication, request) ->
                            new AuthorizationDecision(
                                systemAdmin(authentication.get(), properties)))
                    .anyRequest()
                    .access(
                        new HandlerAccessRules(context, hierarchy, properties.bootstrapTenant())))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    return http.build();
  }

  private static boolean systemAdmin(
      org.springframework.security.core.Authentication authentication,
      PlatformProperties properties) {
    return authentication.getPrincipal() instanceof Caller caller
        && caller.role() == Role.ADMIN
        && caller.tenant().equals(properties.bootstrapTenant());
  }

  /**
   * Spring Security's strict firewall; paths listed in {@code ems.platform.encoded-slash-paths}
   * (OCSP's GET, whose base64 request holds {@code %2F}, RFC 6960 A.1) may carry an encoded slash,
   * which Tomcat passes through undecoded there.
   */
  @Bean
  HttpFirewall httpFirewall(PlatformProperties properties) {
    StrictHttpFirewall strict = new StrictHttpFirewall();
    if (properties.encodedSlashPaths().isEmpty()) {
      return strict;
    }
    StrictHttpFirewall slashes = new StrictHttpFirewall();
    slashes.setAllowUrlEncodedSlash(true);
    List<String> prefixes = properties.encodedSlashPaths();
    return new HttpFirewall() {
      @Override
      public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
        String uri = request.getRequestURI();
        boolean allowed = prefixes.stream().anyMatch(uri::startsWith);
        return (allowed ? slashes : strict).getFirewalledRequest(request);
      }

      @Override
      public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
      }
    };
  }

  /**
   * {@code Authorization: Bearer <key>}, or with OIDC on {@code Bearer <JWT>} (three dot-separated
   * parts; API keys have no dots); anything else leaves the request anonymous.
   */
  private static Authentication credential(HttpServletRequest request, boolean oidc) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = header.substring(7).trim();
    if (key.isEmpty()) {
      return null;
    }
    if (oidc && OidcTokens.looksLikeJwt(key)) {
      return new BearerTokenAuthenticationToken(key);
    }
    return ApiKeyAuthentication.presented(key);
  }

  @Bean
  ApiKeyBootstrap apiKeyBootstrap(ApiKeys keys, PlatformProperties properties) {
    return new ApiKeyBootstrap(keys, properties);
  }

  @Bean
  ApiKeyIssuedListener apiKeyIssuedListener(ApiKeys keys, EventReader events) {
    return new ApiKeyIssuedListener(keys, events);
  }

  @Bean
  WebMvcConfigurer callerArgumentResolver() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
      }
    };
  }
}
