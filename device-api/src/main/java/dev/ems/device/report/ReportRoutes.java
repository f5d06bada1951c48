package dev.ems.device.report;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ReportRoutes {

  @Bean
  RouterFunction<ServerResponse> reportEndpoints(ReportHandler handler) {
    return RouterFunctions.route()
        .POST("/device/v1/config-status", handler::configStatus)
        .POST("/device/v1/heartbeat", handler::heartbeat)
        .POST("/device/v1/check-results", handler::checkResult)
        .build();
  }
}
