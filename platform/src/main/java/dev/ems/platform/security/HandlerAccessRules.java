package dev.ems.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Authorizes a request by the rule declared on the handler that Spring MVC will dispatch it to
 * ({@link RequiresRole}, {@link PublicEndpoint}), found through the same handler mappings as the
 * dispatch itself. So the path that is authorized is the path that is dispatched, whatever its
 * spelling ({@code %2D}, {@code %61}); spellings the dispatch would treat differently ({@code ;},
 * {@code //}, {@code /./}, encoded {@code /}) are refused earlier by Spring Security's firewall.
 *
 * <p>Deny by default: a handler without a rule is refused to everyone. A request no handler takes
 * needs an authenticated caller, who then gets the dispatch's 404.
 */
final class HandlerAccessRules implements AuthorizationManager<RequestAuthorizationContext> {

  private final ApplicationContext context;
  private final Map<Role, AuthorityAuthorizationManager<RequestAuthorizationContext>> roles =
      new EnumMap<>(Role.class);
  private final String systemTenant;
  private volatile List<HandlerMapping> mappings;

  /**
   * Each handler method's declaration, looked up once: the merged-annotation search per request was
   * 4 % of sc-service's CPU on the config-request path (issue 20). Bounded by the handler methods.
   */
  private final Map<java.lang.reflect.Method, Declared> declared =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** What a handler method declares: public, or its rule (none: refused to everyone). */
  private record Declared(boolean isPublic, Optional<RequiresRole> rule) {
    static Declared of(HandlerMethod method) {
      return new Declared(HandlerAccessRules.isPublic(method), HandlerAccessRules.rule(method));
    }
  }

  HandlerAccessRules(ApplicationContext context, RoleHierarchy hierarchy, String systemTenant) {
    this.context = context;
    this.systemTenant = systemTenant;
    for (Role role : Role.values()) {
      var manager = AuthorityAuthorizationManager.<RequestAuthorizationContext>hasRole(role.name());
      manager.setRoleHierarchy(hierarchy);
      roles.put(role, manager);
    }
  }

  /** The rule of a handler method; empty when it is public or declares no rule. */
  static Optional<RequiresRole> rule(HandlerMethod handler) {
    RequiresRole rule =
        AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequiresRole.class);
    if (rule == null) {
      rule = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequiresRole.class);
    }
    return Optional.ofNullable(rule);
  }

  static boolean isPublic(HandlerMethod handler) {
    return handler.hasMethodAnnotation(PublicEndpoint.class)
        || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), PublicEndpoint.class);
  }

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext object) {
    Object handler = handler(object.getRequest());
    if (handler == null) {
      return new AuthorizationDecision(authenticated(authentication.get()));
    }
    if (handler instanceof HandlerMethod method) {
      Declared found = declared.computeIfAbsent(method.getMethod(), m -> Declared.of(method));
      if (found.isPublic()) {
        return new AuthorizationDecision(true);
      }
      Optional<RequiresRole> rule = found.rule();
      if (rule.isPresent()) {
        if (rule.get().systemTenant() && !inSystemTenant(authentication.get())) {
          return new AuthorizationDecision(false);
        }
        return roles.get(rule.get().value()).authorize(authentication, object);
      }
    }
    return new AuthorizationDecision(false);
  }

  private boolean inSystemTenant(Authentication authentication) {
    return authenticated(authentication)
        && authentication.getPrincipal() instanceof Caller caller
        && caller.tenant().equals(systemTenant);
  }

  private static boolean authenticated(Authentication authentication) {
    return authentication != null
        && authentication.isAuthenticated()
        && authentication.getPrincipal() instanceof Caller;
  }

  private Object handler(HttpServletRequest request) {
    Object previousPath = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
    ServletRequestPathUtils.parseAndCache(request);
    try {
      for (HandlerMapping mapping : mappings()) {
        HandlerExecutionChain chain = mapping.getHandler(request);
        if (chain != null) {
          return chain.getHandler();
        }
      }
      return null;
    } catch (Exception e) {
      // method not allowed, unsupported media type...: the dispatch answers it, running nothing
      return null;
    } finally {
      if (previousPath == null) {
        ServletRequestPathUtils.clearParsedRequestPath(request);
      } else {
        request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previousPath);
      }
    }
  }

  private List<HandlerMapping> mappings() {
    List<HandlerMapping> found = mappings;
    if (found == null) {
      found =
          new ArrayList<>(
              BeanFactoryUtils.beansOfTypeIncludingAncestors(
                      context, HandlerMapping.class, true, false)
                  .values());
      AnnotationAwareOrderComparator.sort(found);
      mappings = found;
    }
    return found;
  }
}
