package dev.ems.device.config;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.platform.web.EmsException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /device/v1/config}: the device's current bundle with its ETag (the bundle's sha256)
 * and version, or {@code 304} when {@code If-None-Match} names it. Authentication, rate limit and
 * the cache are all in memory; only a cache miss reads the read model, off the event loop. The
 * happy path of a fetch does not get here: {@link ConfigFetchRoute} answers it on Reactor Netty.
 */
@Component
class ConfigHandler {

  private final ConfigCache cache;
  private final DeviceAuthenticator authenticator;
  private final RateLimiter rateLimiter;
  private final Counter served;
  private final Counter notModified;

  ConfigHandler(
      ConfigCache cache,
      DeviceAuthenticator authenticator,
      RateLimiter rateLimiter,
      MeterRegistry meters) {
    this.cache = cache;
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    // counters instead of Spring's per-request observation, which cost a tenth of this path
    // (device-api.yml turns http.server.requests off); refusals (401, 429, ...) are counted as
    // ems.http.problems{code} by the problem handler
    this.served =
        Counter.builder("ems.device.config.fetches")
            .description("Config fetches answered with the bundle or 304")
            .tag("status", "200")
            .register(meters);
    this.notModified =
        Counter.builder("ems.device.config.fetches")
            .description("Config fetches answered with the bundle or 304")
            .tag("status", "304")
            .register(meters);
  }

  Mono<ServerResponse> fetch(ServerRequest request) {
    DeviceIdentity device = authenticator.authenticate(request);
    rateLimiter.acquire(device.deviceId());
    PublishedConfig cached = cache.peek(device.deviceId());
    if (cached != null) {
      return respond(cached, request);
    }
    return Mono.fromCallable(() -> cache.load(device.deviceId()))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            loaded ->
                loaded
                    .map(c -> respond(c, request))
                    .orElseGet(
                        () ->
                            Mono.error(
                                new EmsException(
                                    ErrorCode.CONFIG_NOT_FOUND,
                                    "No configuration has been published for this device"))));
  }

  /** Counts a fetch answered with the bundle (200) or without it (304), on either path. */
  void count(boolean notModified) {
    (notModified ? this.notModified : served).increment();
  }

  private Mono<ServerResponse> respond(PublishedConfig config, ServerRequest request) {
    String ifNoneMatch = request.headers().firstHeader(HttpHeaders.IF_NONE_MATCH);
    if (config.matches(ifNoneMatch)) {
      count(true);
      return ServerResponse.status(HttpStatus.NOT_MODIFIED)
          .headers(h -> versionHeaders(h, config))
          .build();
    }
    count(false);
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .headers(h -> versionHeaders(h, config))
        .headers(
            h ->
                FetchHeaders.bundle(
                    config, (name, value) -> h.set(name.toString(), value.toString())))
        .bodyValue(config.body());
  }

  private static void versionHeaders(HttpHeaders headers, PublishedConfig config) {
    FetchHeaders.version(config, (name, value) -> headers.set(name.toString(), value.toString()));
  }
}
