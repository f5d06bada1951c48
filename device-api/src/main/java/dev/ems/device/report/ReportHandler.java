package dev.ems.device.report;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.error.ErrorCode;
import dev.ems.common.event.CheckResultReported;
import dev.ems.common.event.ConfigStatusReported;
import dev.ems.common.event.HeartbeatReceived;
import dev.ems.common.event.Topics;
import dev.ems.common.event.TunnelStatus;
import dev.ems.device.command.PendingCommands;
import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.device.system.DeviceApiProperties;
import dev.ems.device.system.DeviceBodies;
import dev.ems.platform.web.EmsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Device reports: validated, put on Kafka, acknowledged once Kafka has them. */
@Component
class ReportHandler {

  /** A heartbeat's answer: the commands pending for the device. */
  record Commands(List<PendingCommands.Command> commands) {}

  private static final String SOURCE = "/device-api";

  private final DeviceAuthenticator authenticator;
  private final RateLimiter rateLimiter;
  private final DeviceBodies bodies;
  private final ReportPublisher publisher;
  private final PendingCommands commands;
  private final Duration maxFutureSkew;

  ReportHandler(
      DeviceAuthenticator authenticator,
      RateLimiter rateLimiter,
      DeviceBodies bodies,
      ReportPublisher publisher,
      PendingCommands commands,
      DeviceApiProperties properties) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    this.bodies = bodies;
    this.publisher = publisher;
    this.commands = commands;
    this.maxFutureSkew = properties.maxFutureSkew();
  }

  Mono<ServerResponse> configStatus(ServerRequest request) {
    DeviceIdentity device = authenticated(request);
    return bodies
        .read(request, ReportRequests.ConfigStatusRequest.class)
        .flatMap(
            body -> {
              Instant at = notInFuture(body.reportedAt(), "reportedAt");
              var event =
                  new ConfigStatusReported(
                      device.deviceId(),
                      body.version(),
                      body.sha256(),
                      body.status(),
                      body.error(),
                      at);
              return publisher.publish(Topics.DEVICE_REPORTS, envelope(device, event));
            })
        .then(ServerResponse.accepted().build());
  }

  /** The response carries the commands waiting for this device (on-demand checks). */
  Mono<ServerResponse> heartbeat(ServerRequest request) {
    DeviceIdentity device = authenticated(request);
    Instant received = Instant.now();
    return bodies
        .read(request, ReportRequests.HeartbeatRequest.class)
        .flatMap(
            body -> {
              notInFuture(body.sentAt(), "sentAt");
              var tunnels =
                  body.tunnels().stream()
                      .map(
                          t ->
                              new TunnelStatus(
                                  t.name(),
                                  t.state(),
                                  t.bytesIn(),
                                  t.bytesOut(),
                                  t.packetsIn(),
                                  t.packetsOut(),
                                  t.lastChange() == null
                                      ? null
                                      : notInFuture(t.lastChange(), "tunnels.lastChange")))
                      .toList();
              var event =
                  new HeartbeatReceived(
                      device.deviceId(),
                      body.sentAt(),
                      received,
                      body.uptimeSeconds(),
                      body.firmware(),
                      tunnels,
                      body.configSha256());
              return publisher
                  .publish(Topics.DEVICE_TELEMETRY, envelope(device, event))
                  .thenReturn(body);
            })
        .flatMap(
            body ->
                Mono.fromCallable(
                        () -> commands.takePending(device.deviceId(), body.acknowledgedCommands()))
                    .subscribeOn(Schedulers.boundedElastic()))
        .flatMap(pending -> ServerResponse.ok().bodyValue(new Commands(pending)));
  }

  Mono<ServerResponse> checkResult(ServerRequest request) {
    DeviceIdentity device = authenticated(request);
    return bodies
        .read(request, ReportRequests.CheckResultRequest.class)
        .flatMap(
            body ->
                Mono.fromCallable(() -> commands.acceptResult(device.deviceId(), body.commandId()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .map(check -> refuseUnlessAccepted(check, body))
                    .thenReturn(body))
        .flatMap(
            body ->
                publisher.publish(
                    Topics.DEVICE_REPORTS,
                    envelope(
                        device,
                        new CheckResultReported(
                            body.commandId(),
                            device.deviceId(),
                            body.status(),
                            body.output(),
                            Instant.now()))))
        .then(ServerResponse.accepted().build());
  }

  /** A result only for a command handed to this device and not expired (issue 16). */
  private static PendingCommands.ResultCheck refuseUnlessAccepted(
      PendingCommands.ResultCheck check, ReportRequests.CheckResultRequest body) {
    return switch (check) {
      case ACCEPTED -> check;
      case UNKNOWN ->
          throw new EmsException(
              ErrorCode.COMMAND_NOT_FOUND,
              "no command " + body.commandId() + " was handed to this device",
              "commandId");
      case EXPIRED ->
          throw new EmsException(
              ErrorCode.COMMAND_EXPIRED,
              "command " + body.commandId() + " expired before its result arrived",
              "commandId");
    };
  }

  private DeviceIdentity authenticated(ServerRequest request) {
    DeviceIdentity device = authenticator.authenticate(request);
    rateLimiter.acquire(device.deviceId());
    return device;
  }

  private Instant notInFuture(Instant at, String field) {
    Instant now = Instant.now();
    if (at == null) {
      return now;
    }
    if (at.isAfter(now.plus(maxFutureSkew))) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, field + " is too far in the future (clock skew?)", field);
    }
    return at;
  }

  private static EventEnvelope<Object> envelope(DeviceIdentity device, Object payload) {
    return EventEnvelope.of(SOURCE, device.tenant(), device.deviceId().toString(), payload);
  }
}
