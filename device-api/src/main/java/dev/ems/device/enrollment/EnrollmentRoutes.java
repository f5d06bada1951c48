package dev.ems.device.enrollment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class EnrollmentRoutes {

  static final String EST = "/.well-known/est";
  static final String SCEP = "/scep";
  static final String SCEP_CGI = "/cgi-bin/pkiclient.exe";

  @RouterOperation(
      path = "/device/v1/enroll",
      method = RequestMethod.POST,
      beanClass = EnrollmentHandler.class,
      beanMethod = "enroll",
      operation =
          @Operation(
              operationId = "device_enroll",
              summary = "Enrollment: enroll with the bootstrap token and a CSR",
              description =
                  "Zero-touch enrollment: serial, the single-use bootstrap token and a PKCS#10"
                      + " CSR; answers the device certificate, its chain and the config-signing"
                      + " keys. Renewal: the same with the current certificate.",
              tags = "device/enrollment",
              security = {},
              requestBody =
                  @RequestBody(
                      required = true,
                      content =
                          @Content(
                              mediaType = "application/json",
                              schema =
                                  @Schema(implementation = EnrollmentHandler.EnrollRequest.class))),
              responses =
                  @ApiResponse(
                      responseCode = "200",
                      description = "The certificate, its chain and the config-signing keys",
                      content =
                          @Content(
                              mediaType = "application/json",
                              schema =
                                  @Schema(implementation = EnrollmentService.Enrollment.class)))))
  @Bean
  RouterFunction<ServerResponse> enrollmentEndpoint(EnrollmentHandler handler) {
    return RouterFunctions.route()
        .POST("/device/v1/enroll", handler::enroll)
        .POST("/device/v1/renew", handler::renew)
        .build();
  }

  /** EST, RFC 7030, without the optional CA label segment (EMS has one device CA). */
  @Bean
  RouterFunction<ServerResponse> estEndpoints(EstHandler est) {
    return RouterFunctions.route()
        .GET(EST + "/cacerts", est::cacerts)
        .GET(EST + "/csrattrs", est::csrattrs)
        .POST(EST + "/simpleenroll", est::simpleenroll)
        .POST(EST + "/simplereenroll", est::simplereenroll)
        .build();
  }

  /**
   * SCEP, RFC 8894: {@code /scep} and the path Cisco IOS and other gear append by default, {@code
   * /cgi-bin/pkiclient.exe}; the operation is a query parameter.
   */
  @Bean
  RouterFunction<ServerResponse> scepEndpoints(ScepHandler scep) {
    return RouterFunctions.route()
        .GET(SCEP, scep::handle)
        .POST(SCEP, scep::handle)
        .GET(SCEP_CGI, scep::handle)
        .POST(SCEP_CGI, scep::handle)
        .build();
  }
}
