package dev.ems.device.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** WebFlux functional endpoint on Netty with a fast path for its happy case (docs/adr/0007). */
@Configuration(proxyBeanMethods = false)
class ConfigRoutes {

  static final String PATH = "/device/v1/config";

  @Bean
  RouterFunction<ServerResponse> configEndpoint(ConfigHandler handler) {
    return RouterFunctions.route().GET(PATH, handler::fetch).build();
  }

  /** The fetch's happy path ahead of WebFlux's dispatch; see {@link ConfigHandler#tryFast}. */
  @Bean
  HttpHandlerDecoratorFactory configFetchFastPath(ConfigHandler handler) {
    return next ->
        (request, response) -> {
          if (request.getMethod() == HttpMethod.GET && PATH.equals(request.getPath().value())) {
            Mono<Void> fast = handler.tryFast(request, response);
            if (fast != null) {
              return fast;
            }
          }
          return next.handle(request, response);
        };
  }
}
