package dev.ems.platform.security;

import dev.ems.platform.metrics.ScrapeToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the Prometheus scrape token through on {@link ScrapeToken#PATH} only: there it becomes a
 * {@link Scraper} authentication, which the actuator rule accepts for that path and nothing else,
 * and the API-key filter leaves the request alone. Anywhere else the token is just an unknown API
 * key (401).
 */
final class ScrapeTokenFilter extends OncePerRequestFilter {

  static final String ATTRIBUTE = ScrapeTokenFilter.class.getName();

  private final ScrapeToken token;

  ScrapeTokenFilter(ScrapeToken token) {
    this.token = token;
  }

  static boolean scraping(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) != null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (token.enabled()
        && ScrapeToken.PATH.equals(request.getRequestURI())
        && token.matches(request.getHeader("Authorization"))) {
      request.setAttribute(ATTRIBUTE, Boolean.TRUE);
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(new Scraper());
      SecurityContextHolder.setContext(context);
    }
    chain.doFilter(request, response);
  }

  /** The scraper: no tenant, no role; only the metrics rule knows it. */
  static final class Scraper extends AbstractAuthenticationToken {

    Scraper() {
      super(List.of());
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return "metrics-scraper";
    }
  }
}
