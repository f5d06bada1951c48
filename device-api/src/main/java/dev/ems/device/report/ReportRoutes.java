package dev.ems.device.report;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springdoc.core.annotations.RouterOperation;
import org.springdoc.core.annotations.RouterOperations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ReportRoutes {

  @RouterOperations({
    @RouterOperation(
        path = "/device/v1/config-status",
        method = RequestMethod.POST,
        beanClass = ReportHandler.class,
        beanMethod = "configStatus",
        operation =
            @Operation(
                operationId = "device_configStatus",
                summary = "Report: config apply status",
                description = "APPLIED or FAILED (with the error) for a config version.",
                tags = "device/report",
                security = @SecurityRequirement(name = "deviceCertificate"),
                requestBody =
                    @RequestBody(
                        required = true,
                        content =
                            @Content(
                                mediaType = "application/json",
                                schema =
                                    @Schema(
                                        implementation =
                                            ReportRequests.ConfigStatusRequest.class))),
                responses =
                    @ApiResponse(responseCode = "202", description = "Accepted (on Kafka)"))),
    @RouterOperation(
        path = "/device/v1/heartbeat",
        method = RequestMethod.POST,
        beanClass = ReportHandler.class,
        beanMethod = "heartbeat",
        operation =
            @Operation(
                operationId = "device_heartbeat",
                summary = "Report: heartbeat",
                description =
                    "Uptime, firmware, the running bundle's sha256 and the tunnels; the answer carries pending commands (on-demand checks).",
                tags = "device/report",
                security = @SecurityRequirement(name = "deviceCertificate"),
                requestBody =
                    @RequestBody(
                        required = true,
                        content =
                            @Content(
                                mediaType = "application/json",
                                schema =
                                    @Schema(
                                        implementation = ReportRequests.HeartbeatRequest.class))),
                responses =
                    @ApiResponse(
                        responseCode = "200",
                        description = "Accepted; the commands pending for the device",
                        content =
                            @Content(
                                mediaType = "application/json",
                                schema = @Schema(implementation = ReportHandler.Commands.class))))),
    @RouterOperation(
        path = "/device/v1/check-results",
        method = RequestMethod.POST,
        beanClass = ReportHandler.class,
        beanMethod = "checkResult",
        operation =
            @Operation(
                operationId = "device_checkResult",
                summary = "Report: result of an on-demand check",
                description = "The outcome of a command the heartbeat handed out.",
                tags = "device/report",
                security = @SecurityRequirement(name = "deviceCertificate"),
                requestBody =
                    @RequestBody(
                        required = true,
                        content =
                            @Content(
                                mediaType = "application/json",
                                schema =
                                    @Schema(
                                        implementation = ReportRequests.CheckResultRequest.class))),
                responses =
                    @ApiResponse(responseCode = "202", description = "Accepted (on Kafka)")))
  })
  @Bean
  RouterFunction<ServerResponse> reportEndpoints(ReportHandler handler) {
    return RouterFunctions.route()
        .POST("/device/v1/config-status", handler::configStatus)
        .POST("/device/v1/heartbeat", handler::heartbeat)
        .POST("/device/v1/check-results", handler::checkResult)
        .build();
  }
}
