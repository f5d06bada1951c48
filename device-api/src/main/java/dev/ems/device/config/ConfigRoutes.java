package dev.ems.device.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** WebFlux functional endpoint on Netty (docs/adr/0007-device-api-stack.md). */
@Configuration(proxyBeanMethods = false)
class ConfigRoutes {

  @Bean
  RouterFunction<ServerResponse> configEndpoint(ConfigHandler handler) {
    return RouterFunctions.route().GET("/device/v1/config", handler::fetch).build();
  }
}
