package dev.ems.device.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.device.system.DeviceApiProperties;
import dev.ems.platform.web.EmsException;
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

  PkiClient(JsonMapper json, DeviceApiProperties properties) {
    this.json = json;
    this.pki = properties.pki();
    this.http = HttpClient.newBuilder().connectTimeout(pki.timeout()).build();
  }

  /**
   * Enrolls the CSR for the device, with the bootstrap token the device presented: pki-service
   * checks it too, so the service key alone enrolls nothing.
   */
  Mono<Issued> enroll(String tenant, UUID deviceId, String bootstrapToken, String csrPem) {
    String body =
        json.writeValueAsString(
            Map.of(
                "tenant",
                tenant,
                "deviceId",
                deviceId,
                "bootstrapToken",
                bootstrapToken,
                "csr",
                csrPem));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(pki.url() + "/internal/v1/enrollments"))
            .timeout(pki.timeout())
            .header("Authorization", "Bearer " + pki.internalApiKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
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
