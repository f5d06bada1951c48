package dev.ems.device.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The config fetch as a WebFlux functional endpoint on Netty; its happy path is answered ahead of
 * WebFlux by {@link ConfigFetchRoute} (docs/adr/0007).
 */
@Configuration(proxyBeanMethods = false)
class ConfigRoutes {

  static final String PATH = "/device/v1/config";

  @Bean
  RouterFunction<ServerResponse> configEndpoint(ConfigHandler handler) {
    return RouterFunctions.route().GET(PATH, handler::fetch).build();
  }
}
