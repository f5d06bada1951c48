package dev.ems.device.config;

import dev.ems.device.identity.DeviceAuthenticator;
import dev.ems.device.identity.DeviceIdentity;
import dev.ems.device.ratelimit.RateLimiter;
import dev.ems.platform.web.EmsException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The config fetch's happy path on Reactor Netty's own request and response, ahead of Spring's
 * server adapter and WebFlux (docs/adr/0007, amendment 3). A known, allowed device whose config is
 * in memory gets its 200 or 304 here: the same checks as {@link ConfigHandler#fetch}, in memory,
 * without the adapter's per-request objects (URI, header and response wrappers, the write's
 * operator chain), which were most of what a fetch allocated. Anything else — no or unknown
 * certificate, revoked, decommissioned, rate limited, cache miss — is handed to WebFlux unchanged,
 * and its routed handler answers it, problems included, so errors are formatted in one place.
 *
 * <p>This route makes no span: an untraced fetch, the fleet's polling, stays as cheap as before
 * tracing (issue 15). A fetch that carries a W3C {@code traceparent} is handed to WebFlux, whose
 * server observation continues the caller's trace.
 *
 * <p>Every other request passes through Spring as before: Boot routes it to WebFlux after this
 * route's predicate, a method and string comparison, declines it.
 */
@Component
class ConfigFetchRoute implements NettyRouteProvider {

  /** W3C trace context: a fetch that carries one is served by WebFlux, whose observation joins. */
  private static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");

  private final ConfigCache cache;
  private final DeviceAuthenticator authenticator;
  private final RateLimiter rateLimiter;
  private final ConfigHandler handler;
  private final AsciiString certHeader;
  private final ObjectProvider<HttpHandler> webFlux;

  /**
   * The fast path's own time to answer (until the response is handed to Netty): Spring's {@code
   * http.server.requests} observation does not see this route and is off in device-api. A fixed
   * {@code uri} tag, never the device.
   */
  private final Timer fastPath;

  private volatile ReactorHttpHandlerAdapter fallback;

  ConfigFetchRoute(
      ConfigCache cache,
      DeviceAuthenticator authenticator,
      RateLimiter rateLimiter,
      ConfigHandler handler,
      ObjectProvider<HttpHandler> webFlux,
      MeterRegistry meters) {
    this.cache = cache;
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
    this.handler = handler;
    this.certHeader = AsciiString.of(authenticator.certHeader());
    this.webFlux = webFlux;
    this.fastPath =
        Timer.builder("ems.device.config.fetch.time")
            .description("Config fetches answered on the fast route (200 or 304)")
            .tag("uri", ConfigRoutes.PATH)
            .register(meters);
  }

  @Override
  public HttpServerRoutes apply(HttpServerRoutes routes) {
    return routes.route(ConfigFetchRoute::isFetch, this::serve);
  }

  /** {@code GET /device/v1/config}, with or without a query, as WebFlux's route matches it. */
  static boolean isFetch(HttpServerRequest request) {
    if (!HttpMethod.GET.equals(request.method())) {
      return false;
    }
    String uri = request.uri();
    int length = ConfigRoutes.PATH.length();
    return uri.startsWith(ConfigRoutes.PATH)
        && (uri.length() == length || uri.charAt(length) == '?');
  }

  private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
    long start = System.nanoTime();
    HttpHeaders requestHeaders = request.requestHeaders();
    if (requestHeaders.contains(TRACEPARENT)) {
      // a traced fetch: WebFlux's observation resumes the caller's trace and answers the same
      return webFlux().apply(request, response);
    }
    PublishedConfig config = servable(request, requestHeaders);
    if (config == null) {
      return webFlux().apply(request, response);
    }
    HttpHeaders headers = response.responseHeaders();
    FetchHeaders.version(config, headers::set);
    if (config.matches(requestHeaders.get(HttpHeaderNames.IF_NONE_MATCH))) {
      handler.count(true);
      fastPath.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return response.status(HttpResponseStatus.NOT_MODIFIED).send();
    }
    handler.count(false);
    FetchHeaders.bundle(config, headers::set);
    headers
        .set(FetchHeaders.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(FetchHeaders.CONTENT_LENGTH, config.body().length);
    fastPath.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return response
        .status(HttpResponseStatus.OK)
        .sendObject(Unpooled.wrappedBuffer(config.body()))
        .then();
  }

  /** The config to answer with, or null when WebFlux's handler must answer (a refusal, a miss). */
  private PublishedConfig servable(HttpServerRequest request, HttpHeaders requestHeaders) {
    DeviceIdentity device;
    try {
      device =
          authenticator.authenticate(
              tlsClientCertificate(request),
              requestHeaders.get(certHeader),
              request.remoteAddress());
    } catch (EmsException refused) {
      return null;
    }
    PublishedConfig config = cache.peek(device.deviceId());
    if (config == null) {
      return null;
    }
    try {
      rateLimiter.acquire(device.deviceId());
    } catch (EmsException limited) {
      return null;
    }
    return config;
  }

  /** The client certificate of the connection's TLS session, as Spring's adapter finds it. */
  private static X509Certificate tlsClientCertificate(HttpServerRequest request) {
    Channel channel = ((Connection) request).channel();
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null && channel.parent() != null) {
      ssl = channel.parent().pipeline().get(SslHandler.class);
    }
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate first ? first : null;
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      return null;
    }
  }

  /**
   * Spring's adapter onto WebFlux, made on first use: the handler exists once the server starts.
   */
  private ReactorHttpHandlerAdapter webFlux() {
    ReactorHttpHandlerAdapter adapter = fallback;
    if (adapter == null) {
      adapter = new ReactorHttpHandlerAdapter(webFlux.getObject());
      fallback = adapter;
    }
    return adapter;
  }
}
