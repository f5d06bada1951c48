package dev.ems.device.config;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.platform.web.EmsException;
import org.springframework.http.CacheControl;
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
 * the cache are all in memory; only a cache miss reads the read model, off the event loop.
 */
@Component
class ConfigHandler {

  static final String VERSION_HEADER = "X-Config-Version";

  private final ConfigCache cache;
  private final DeviceAuthenticator authenticator;
  private final RateLimiter rateLimiter;

  ConfigHandler(ConfigCache cache, DeviceAuthenticator authenticator, RateLimiter rateLimiter) {
    this.cache = cache;
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
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

  private static Mono<ServerResponse> respond(PublishedConfig config, ServerRequest request) {
    String ifNoneMatch = request.headers().firstHeader(HttpHeaders.IF_NONE_MATCH);
    if (config.matches(ifNoneMatch)) {
      return ServerResponse.status(HttpStatus.NOT_MODIFIED)
          .eTag(config.etag())
          .header(VERSION_HEADER, Integer.toString(config.version()))
          .cacheControl(CacheControl.noCache())
          .build();
    }
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .eTag(config.etag())
        .header(VERSION_HEADER, Integer.toString(config.version()))
        .cacheControl(CacheControl.noCache())
        .bodyValue(config.body());
  }
}
