package dev.ems.device.system;

import dev.ems.platform.metrics.ScrapeToken;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code /actuator/prometheus} on device-api's port, which devices reach: only the scrape token
 * ({@code EMS_METRICS_SCRAPE_TOKEN}) opens it. device-api holds no operator keys (docs/adr/0007),
 * so without a token nobody can scrape it; everything else passes untouched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ScrapeGuard implements WebFilter {

  private final ScrapeToken token;

  ScrapeGuard(ScrapeToken token) {
    this.token = token;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (!path.startsWith(ScrapeToken.PATH)) {
      return chain.filter(exchange);
    }
    if (token.matches(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
      return chain.filter(exchange);
    }
    exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return exchange.getResponse().setComplete();
  }
}
