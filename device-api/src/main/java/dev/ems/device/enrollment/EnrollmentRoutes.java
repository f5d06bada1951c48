package dev.ems.device.enrollment;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class EnrollmentRoutes {

  @Bean
  RouterFunction<ServerResponse> enrollmentEndpoint(EnrollmentHandler handler) {
    return RouterFunctions.route().POST("/device/v1/enroll", handler::enroll).build();
  }
}
