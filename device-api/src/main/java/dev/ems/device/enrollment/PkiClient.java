package dev.ems.device.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.system.DeviceApiProperties;
import dev.ems.platform.web.EmsException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one synchronous service call of the suite: pki-service's internal enrollment (docs/adr/0006)
 * with a timeout per attempt and bounded retries. Unreachable, slow or failing (5xx) → {@link
 * PkiUnavailable}; a 4xx problem from PKI (a token or CSR it refuses) is passed on to the device
 * with its code, except PKI refusing our own service key, which is ours to fix (503).
 *
 * <p>The call is an observation of its own (a client span, child of the enrollment request's
 * observation where there is one), whose W3C {@code traceparent} goes along as a header, so
 * pki-service's span joins the device's trace.
 */
@Component
class PkiClient {

  record Issued(String serial, String certificatePem, String chainPem, Instant notAfter) {}

  /** PKI cannot answer now; the device should retry later. */
  static class PkiUnavailable extends RuntimeException {
    PkiUnavailable(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final JsonMapper json;
  private final DeviceApiProperties.Pki pki;

  private final ObservationRegistry observations;

  PkiClient(JsonMapper json, DeviceApiProperties properties, ObservationRegistry observations) {
    this.json = json;
    this.observations = observations;
    this.pki = properties.pki();
    this.http = HttpClient.newBuilder().connectTimeout(pki.timeout()).build();
  }

  /**
   * Enrolls the CSR for the device, with the bootstrap token the device presented: pki-service
   * checks it too, so the service key alone enrolls nothing.
   */
  Mono<Issued> enroll(String tenant, UUID deviceId, String bootstrapToken, String csrPem) {
    return post(
        "/internal/v1/enrollments",
        Map.of(
            "tenant",
            tenant,
            "deviceId",
            deviceId,
            "bootstrapToken",
            bootstrapToken,
            "csr",
            csrPem));
  }

  /**
   * Renews with the device's current certificate (issue 18): pki-service checks that it issued it
   * to this device, that it is valid and unexpired, and that the CSR's key is new.
   */
  Mono<Issued> renew(String tenant, UUID deviceId, String certificatePem, String csrPem) {
    return post(
        "/internal/v1/renewals",
        Map.of(
            "tenant", tenant, "deviceId", deviceId, "certificate", certificatePem, "csr", csrPem));
  }

  /**
   * Tells pki-service that the device authenticated with its certificate {@code serial}: the
   * certificates issued to it before are superseded (issue 18). Completes empty; a refusal (the
   * certificate is no longer this device's valid one) is an {@link EmsException}.
   */
  Mono<Void> inUse(String tenant, UUID deviceId, String serial) {
    String body =
        json.writeValueAsString(Map.of("tenant", tenant, "deviceId", deviceId, "serial", serial));
    HttpRequest request =
        internal("/internal/v1/certificates-in-use")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return exchange(request)
        .flatMap(
            response ->
                response.statusCode() == 200
                    ? Mono.<Void>empty()
                    : Mono.<Void>error(
                        response.statusCode() >= 500
                            ? new PkiUnavailable("pki-service answered " + response.statusCode())
                            : new EmsException(
                                codeOf(json.readTree(response.body()), response.statusCode()),
                                "pki-service refused the certificate in use")))
        .retryWhen(
            Retry.backoff(pki.attempts() - 1, Duration.ofMillis(200))
                .filter(PkiUnavailable.class::isInstance)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  /**
   * The CA chain (issuing CA first) as PEM: of the tenant's issuing CA (issue 19), or without a
   * tenant the one that names none (the shared issuing CA and the root).
   */
  Mono<String> caChain(String tenant) {
    return get(
        tenant == null
            ? "/internal/v1/ca-chain"
            : "/internal/v1/ca-chain?tenant="
                + java.net.URLEncoder.encode(tenant, java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * The chain of the issuing CA with this id (SCEP GetCACert's {@code message}, issue 19), issuing
   * CA first; empty when pki-service knows no CA of that id.
   */
  Mono<java.util.Optional<String>> caChainById(String caId) {
    HttpRequest request =
        internal(
                "/internal/v1/ca-chain?caId="
                    + java.net.URLEncoder.encode(caId, java.nio.charset.StandardCharsets.UTF_8))
            .GET()
            .build();
    return exchange(request)
        .flatMap(
            response ->
                switch (response.statusCode()) {
                  case 200 -> Mono.just(java.util.Optional.of(response.body()));
                  case 404 -> Mono.just(java.util.Optional.<String>empty());
                  default ->
                      Mono.<java.util.Optional<String>>error(
                          new PkiUnavailable("pki-service answered " + response.statusCode()));
                })
        .retryWhen(
            Retry.backoff(pki.attempts() - 1, Duration.ofMillis(200))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  /**
   * The SCEP RA (issue 18) as pki-service's JSON: {@code certificatePem}, {@code chainPem}, {@code
   * privateKeyPem}, {@code notAfter}. The key is held in memory only ({@link ScepRa}).
   */
  Mono<JsonNode> scepRa() {
    return get("/internal/v1/scep-ra").map(json::readTree);
  }

  /** A request to pki-service's internal API, with the service key and the request timeout. */
  private HttpRequest.Builder internal(String path) {
    return HttpRequest.newBuilder(URI.create(pki.url() + path))
        .timeout(pki.timeout())
        .header("Authorization", "Bearer " + pki.internalApiKey());
  }

  /** One attempt; pki-service unreachable becomes {@link PkiUnavailable}. */
  private Mono<HttpResponse<String>> exchange(HttpRequest request) {
    return Mono.defer(
            () -> Mono.fromFuture(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())))
        .onErrorMap(e -> new PkiUnavailable(e.toString()));
  }

  private Mono<String> get(String path) {
    return exchange(internal(path).GET().build())
        .flatMap(
            response ->
                response.statusCode() == 200
                    ? Mono.just(response.body())
                    : Mono.<String>error(
                        new PkiUnavailable("pki-service answered " + response.statusCode())))
        .retryWhen(
            Retry.backoff(pki.attempts() - 1, Duration.ofMillis(200))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  private Mono<Issued> post(String path, Map<String, Object> fields) {
    String body = json.writeValueAsString(fields);
    return Mono.deferContextual(
        reactorContext -> {
          HttpRequest.Builder builder =
              HttpRequest.newBuilder(URI.create(pki.url() + path))
                  .timeout(pki.timeout())
                  .header("Authorization", "Bearer " + pki.internalApiKey())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body));
          var context =
              new RequestReplySenderContext<HttpRequest.Builder, HttpResponse<String>>(
                  HttpRequest.Builder::header);
          context.setCarrier(builder);
          context.setRemoteServiceName("pki-service");
          Observation observation =
              Observation.createNotStarted(EnrollmentMeters.NAME, () -> context, observations)
                  .contextualName("pki enrollment")
                  .parentObservation(
                      reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
                  .start();
          return send(builder.build())
              .doOnError(observation::error)
              .doFinally(signal -> observation.stop());
        });
  }

  private Mono<Issued> send(HttpRequest request) {
    return Mono.defer(
            // the request's own timeout bounds each attempt; no Reactor timeout, which would
            // cancel the exchange and log the dropped error
            () -> Mono.fromFuture(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())))
        .onErrorMap(e -> !(e instanceof EmsException), e -> new PkiUnavailable(e.toString()))
        .flatMap(this::toIssued)
        .retryWhen(
            Retry.backoff(pki.attempts() - 1, Duration.ofMillis(200))
                .filter(PkiUnavailable.class::isInstance)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  private Mono<Issued> toIssued(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 500) {
      return Mono.error(new PkiUnavailable("pki-service answered " + status));
    }
    JsonNode body = json.readTree(response.body());
    if (status != 200) {
      ErrorCode code = codeOf(body, status);
      String detail = body.path("detail").asString("Enrollment refused by the PKI");
      String field = body.path("field").isString() ? body.path("field").asString() : null;
      return Mono.error(new EmsException(code, detail, field));
    }
    return Mono.just(
        new Issued(
            body.get("serial").asString(),
            body.get("certificatePem").asString(),
            body.get("chainPem").asString(),
            Instant.parse(body.get("notAfter").asString())));
  }

  private static ErrorCode codeOf(JsonNode body, int status) {
    String code = body.path("code").asString("");
    if (ErrorCode.UNAUTHENTICATED.code().equals(code)) {
      // our own service key was refused: a configuration error on our side, not the device's
      return ErrorCode.SERVICE_UNAVAILABLE;
    }
    for (ErrorCode c : ErrorCode.values()) {
      if (c.code().equals(code) && c.status() == status) {
        return c;
      }
    }
    // a refusal the device cannot act on (e.g. a 403 without a known code) is still a refusal
    return status == 401 || status == 403 ? ErrorCode.FORBIDDEN : ErrorCode.CONFLICT;
  }
}
