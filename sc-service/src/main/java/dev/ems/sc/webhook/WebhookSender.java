package dev.ems.sc.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * Sends one signed message: {@code webhook-id}, {@code webhook-timestamp} and {@code
 * webhook-signature} headers as the Standard Webhooks specification names them. The target is
 * checked again first (DNS may have changed); redirects are not followed; any 2xx is a success.
 */
@Component
class WebhookSender {

  record Outcome(boolean delivered, Integer statusCode, String error) {}

  private final HttpClient http;
  private final TargetGuard guard;
  private final WebhookProperties properties;

  WebhookSender(TargetGuard guard, WebhookProperties properties) {
    this.guard = guard;
    this.properties = properties;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(properties.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  Outcome send(String url, String secret, String messageId, String body) {
    URI uri;
    try {
      uri = TargetGuard.parse(url);
      guard.check(uri, true);
    } catch (TargetGuard.Refused e) {
      return new Outcome(false, null, "refused: " + e.getMessage());
    }
    long timestamp = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(properties.requestTimeout())
            .header("content-type", "application/json")
            .header("user-agent", "EMS-Webhooks/1")
            .header("webhook-id", messageId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", WebhookSignature.sign(secret, messageId, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status >= 200 && status < 300
          ? new Outcome(true, status, null)
          : new Outcome(false, status, "HTTP " + status);
    } catch (HttpTimeoutException e) {
      return new Outcome(false, null, "no answer within " + properties.requestTimeout());
    } catch (IOException e) {
      return new Outcome(
          false, null, truncate(e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, null, "interrupted");
    }
  }

  private static String truncate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500);
  }
}
